package io.surge.serving.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * HTTP body compression as Triton's HTTP front end does it ({@code http_server.cc}, {@code
 * data_compressor.h}): request bodies in {@code Content-Encoding: gzip} or {@code deflate} (zlib
 * format), answers compressed as the client's {@code Accept-Encoding} asks.
 *
 * <p>Like Triton, decompression recognises gzip and zlib data whichever of the two the header names
 * (zlib's automatic header detection), and the {@code Inference-Header-Content-Length} of a
 * compressed body counts bytes of the <em>uncompressed</em> body.
 */
public enum BodyCompression {
  IDENTITY("identity"),
  GZIP("gzip"),
  DEFLATE("deflate");

  /** What Triton answers in {@code Accept-Encoding} when it refuses a request's encoding. */
  public static final String SUPPORTED = "gzip, deflate";

  /** Triton's message for a request body in an encoding it does not know. */
  public static final String UNSUPPORTED_MESSAGE = "Unsupported compression type";

  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;

  private final String token;

  BodyCompression(String token) {
    this.token = token;
  }

  /** The header token: {@code identity}, {@code gzip} or {@code deflate}. */
  public String token() {
    return token;
  }

  /**
   * The encoding a request's {@code Content-Encoding} names: IDENTITY when absent, empty or {@code
   * identity}; null for any other encoding (Triton compares the value exactly, so does this).
   */
  public static BodyCompression ofContentEncoding(String header) {
    if (header == null || header.isEmpty() || header.equals("identity")) {
      return IDENTITY;
    }
    return switch (header) {
      case "gzip" -> GZIP;
      case "deflate" -> DEFLATE;
      default -> null;
    };
  }

  /**
   * The encoding of the answer to a request with this {@code Accept-Encoding}, by Triton's rule:
   * among {@code identity}, {@code deflate} and {@code gzip}, the one of highest {@code q} weight
   * (the first listed on a tie; an unparsable weight skips the entry); IDENTITY when none has a
   * positive weight or the header is absent.
   */
  public static BodyCompression negotiate(String acceptEncoding) {
    if (acceptEncoding == null) {
      return IDENTITY;
    }
    BodyCompression chosen = IDENTITY;
    double best = 0;
    for (String entry : acceptEncoding.split(",", -1)) {
      int start = firstNonSpace(entry);
      int weightAt = entry.indexOf(";q=");
      if (start < 0 || (weightAt >= 0 && start >= weightAt)) {
        continue;
      }
      String type = weightAt < 0 ? entry.substring(start) : entry.substring(start, weightAt);
      double weight = 1;
      if (weightAt >= 0) {
        try {
          weight = Double.parseDouble(entry.substring(weightAt + 3).trim());
        } catch (NumberFormatException e) {
          continue;
        }
      }
      BodyCompression candidate = ofToken(type);
      if (candidate != null && weight > best) {
        chosen = candidate;
        best = weight;
      }
    }
    return chosen;
  }

  private static BodyCompression ofToken(String type) {
    for (BodyCompression c : values()) {
      if (c.token.equals(type)) {
        return c;
      }
    }
    return null;
  }

  private static int firstNonSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != ' ') {
        return i;
      }
    }
    return -1;
  }

  /** The body compressed in this encoding (IDENTITY returns it as is). */
  public byte[] compress(byte[] body) {
    if (this == IDENTITY) {
      return body;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 2));
    try (var z = this == GZIP ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
      z.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot compress in memory", e);
    }
    return out.toByteArray();
  }

  /**
   * The body decompressed, refusing with 413 once it grows past {@code maxBytes} (a small body can
   * expand a thousandfold) and with 400 when it is not gzip or zlib data.
   */
  public byte[] decompress(byte[] body, long maxBytes) {
    if (this == IDENTITY) {
      return body;
    }
    try (InputStream in = inflating(body)) {
      byte[] out = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
      if (out.length > maxBytes) {
        throw new ProtocolException(
            413,
            "decompressed " + token + " request body exceeds the limit of " + maxBytes + " bytes");
      }
      return out;
    } catch (IOException e) {
      throw new ProtocolException(
          "failed to decompress the " + token + " request body: " + e.getMessage());
    }
  }

  /** gzip or zlib, told apart by gzip's magic bytes, whichever the header named. */
  private static InputStream inflating(byte[] body) throws IOException {
    ByteArrayInputStream raw = new ByteArrayInputStream(body);
    boolean gzip =
        body.length >= 2 && (body[0] & 0xff) == GZIP_MAGIC_1 && (body[1] & 0xff) == GZIP_MAGIC_2;
    return gzip ? new GZIPInputStream(raw) : new InflaterInputStream(raw);
  }
}
