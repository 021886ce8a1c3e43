package io.surge.schema.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * The wire format of every Surge topic (DESIGN.md section 6): raw binary Avro, no framing, so that
 * Flink SQL's {@code avro} format reads it, plus a Kafka header {@value #SCHEMA_HEADER} with the
 * writer schema's CRC-64-AVRO fingerprint (8 bytes, little-endian) so that a record written with
 * another schema is recognised and dead-lettered instead of misread. A fingerprint of a released
 * writer schema of the same record ({@link WriterSchemas}, the project's {@code schemas/history/})
 * is read with Avro's schema resolution into this serde's schema.
 *
 * <p>One instance per record class; instances are thread-confined (they reuse buffers).
 */
public final class AvroWire<T extends SpecificRecord> {

  /** Kafka header naming the writer schema by its fingerprint. */
  public static final String SCHEMA_HEADER = "surge.schema";

  private final Class<T> type;
  private final Schema schema;
  private final byte[] fingerprint;
  private final SpecificDatumWriter<T> writer;
  private final SpecificDatumReader<T> reader;

  /** Readers of released older or newer writer schemas, by fingerprint. */
  private final java.util.Map<Long, SpecificDatumReader<T>> resolving = new java.util.HashMap<>();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
  private BinaryEncoder encoder;
  private BinaryDecoder decoder;

  private AvroWire(Class<T> type, Schema schema) {
    this.type = type;
    this.schema = schema;
    this.fingerprint = fingerprintBytes(schema);
    this.writer = new SpecificDatumWriter<>(schema);
    this.reader = new SpecificDatumReader<>(schema);
  }

  /** A serde for a generated Avro class. */
  public static <T extends SpecificRecord> AvroWire<T> of(Class<T> type) {
    try {
      Schema schema = (Schema) type.getField("SCHEMA$").get(null);
      return new AvroWire<>(type, schema);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(type + " is not a generated Avro class", e);
    }
  }

  public Class<T> type() {
    return type;
  }

  public Schema schema() {
    return schema;
  }

  /** The value of the {@value #SCHEMA_HEADER} header for this schema. */
  public byte[] fingerprint() {
    return fingerprint.clone();
  }

  /** True when a header value names this serde's schema. */
  public boolean matches(byte[] headerValue) {
    return headerValue != null && java.util.Arrays.equals(headerValue, fingerprint);
  }

  public byte[] serialize(T record) {
    out.reset();
    // buffered: the direct encoder writes every float of an observation to the (synchronized)
    // stream on its own: ~8 % of the scheduler thread's CPU in `surge bench job`
    encoder = EncoderFactory.get().binaryEncoder(out, encoder);
    try {
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + type.getSimpleName(), e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes a record and checks that it used every byte: truncated or trailing bytes mean the
   * record was not written with this schema.
   *
   * @throws InvalidRecordException with a reason fit for a dead-letter record
   */
  public T deserialize(byte[] bytes) throws InvalidRecordException {
    return read(reader, bytes);
  }

  private T read(SpecificDatumReader<T> with, byte[] bytes) throws InvalidRecordException {
    if (bytes == null) {
      throw new InvalidRecordException("null value");
    }
    decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
    T record;
    try {
      record = with.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new InvalidRecordException(
            "trailing bytes after a " + type.getSimpleName() + ": not written with its schema");
      }
    } catch (IOException | RuntimeException e) {
      throw new InvalidRecordException(
          "not a valid " + type.getSimpleName() + " (truncated or other schema): " + e, e);
    }
    return record;
  }

  /**
   * Decodes a record after checking the schema header. A missing header is accepted (plain Avro
   * producers such as Flink SQL write none); a different fingerprint is refused.
   */
  public T deserialize(byte[] bytes, byte[] schemaHeader) throws InvalidRecordException {
    if (schemaHeader != null && !matches(schemaHeader)) {
      SpecificDatumReader<T> resolving = resolvingReader(schemaHeader);
      if (resolving != null) {
        return read(resolving, bytes);
      }
      throw new InvalidRecordException(
          "record written with another schema (fingerprint "
              + Long.toHexString(fingerprintOf(schemaHeader))
              + ", expected "
              + Long.toHexString(fingerprintOf(fingerprint))
              + " for "
              + type.getSimpleName()
              + ")");
    }
    return deserialize(bytes);
  }

  /**
   * The reader that resolves records of a released writer schema ({@link WriterSchemas}) into this
   * serde's schema, or null when the fingerprint names no released version.
   */
  private SpecificDatumReader<T> resolvingReader(byte[] schemaHeader) {
    if (schemaHeader.length != 8) {
      return null;
    }
    long fp = fingerprintOf(schemaHeader);
    SpecificDatumReader<T> known = resolving.get(fp);
    if (known != null) {
      return known;
    }
    Schema writerSchema = WriterSchemas.of(schema).byFingerprint(fp);
    if (writerSchema == null) {
      return null;
    }
    SpecificDatumReader<T> created =
        new SpecificDatumReader<>(writerSchema, schema, SpecificData.getForClass(type));
    resolving.put(fp, created);
    return created;
  }

  /** The remaining bytes of an Avro {@code bytes} field, without disturbing its position. */
  public static byte[] toBytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private static byte[] fingerprintBytes(Schema schema) {
    long fp = SchemaNormalization.parsingFingerprint64(schema);
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(fp).array();
  }

  private static long fingerprintOf(byte[] header) {
    if (header.length != 8) {
      return -1;
    }
    return ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /** A record that cannot be accepted; the message is the dead-letter reason. */
  public static final class InvalidRecordException extends Exception {
    public InvalidRecordException(String reason) {
      super(reason);
    }

    public InvalidRecordException(String reason, Throwable cause) {
      super(reason, cause);
    }
  }
}
