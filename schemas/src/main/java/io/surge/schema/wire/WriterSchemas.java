package io.surge.schema.wire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;

/**
 * The released writer schemas of one record type, from the classpath resources {@code
 * schemas/history/<Record>/v1.avsc, v2.avsc, …} (the project's {@code schemas/history/}), by their
 * CRC-64-AVRO fingerprint. A record whose header names one of them is read with Avro's schema
 * resolution into the reader schema; an unknown fingerprint is refused. Each version must resolve
 * into the reader schema: one that cannot is a build error, found when the history is loaded.
 */
public final class WriterSchemas {

  private static final String ROOT = "schemas/history/";
  private static final Map<String, WriterSchemas> BY_RECORD = new ConcurrentHashMap<>();

  private final List<Schema> versions;

  private WriterSchemas(List<Schema> versions) {
    this.versions = List.copyOf(versions);
  }

  /** The history of {@code reader}'s record (empty when the project keeps none for it). */
  public static WriterSchemas of(Schema reader) {
    return BY_RECORD.computeIfAbsent(reader.getFullName(), name -> load(reader));
  }

  /** A history made of the given writer schemas (tests). */
  public static WriterSchemas of(List<Schema> versions) {
    return new WriterSchemas(versions);
  }

  private static WriterSchemas load(Schema reader) {
    List<Schema> versions = new ArrayList<>();
    ClassLoader loader = WriterSchemas.class.getClassLoader();
    for (int v = 1; ; v++) {
      String resource = ROOT + reader.getName() + "/v" + v + ".avsc";
      try (InputStream in = loader.getResourceAsStream(resource)) {
        if (in == null) {
          break;
        }
        Schema writer = new Schema.Parser().parse(in);
        SchemaCompatibility.SchemaPairCompatibility pair =
            SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (pair.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
          throw new IllegalStateException(
              resource
                  + " does not resolve into "
                  + reader.getFullName()
                  + ": "
                  + pair.getDescription());
        }
        versions.add(writer);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + resource, e);
      }
    }
    return new WriterSchemas(versions);
  }

  /** Every released version, oldest first. */
  public List<Schema> versions() {
    return versions;
  }

  /** The released writer schema with this fingerprint, or null when there is none. */
  public Schema byFingerprint(long fingerprint) {
    for (Schema s : versions) {
      if (fingerprint(s) == fingerprint) {
        return s;
      }
    }
    return null;
  }

  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /** The {@code surge.schema} header value of a schema (8 bytes, little-endian). */
  public static byte[] header(Schema schema) {
    return ByteBuffer.allocate(8)
        .order(ByteOrder.LITTLE_ENDIAN)
        .putLong(fingerprint(schema))
        .array();
  }
}
