package io.surge.cli.load;

/**
 * The kinds of deliberately invalid request the load generator can mix in, to show and test that
 * every invalid record becomes one dead letter. The first two fail decoding ({@code AvroWire}
 * refuses them); the last two decode but fail validation against the catalog.
 */
public enum InvalidKind {
  /** Valid Avro cut to half its length: fails decoding. */
  TRUNCATED_BYTES,
  /** Valid bytes under the {@code surge.schema} header of another schema (Completion). */
  WRONG_SCHEMA_HEADER,
  /** A decodable request whose deadline is negative. */
  NEGATIVE_DEADLINE,
  /** A decodable request for a service the catalog does not have. */
  UNKNOWN_SERVICE;

  /** The service name used by {@link #UNKNOWN_SERVICE} records. */
  public static final String UNKNOWN_SERVICE_NAME = "no-such-service";
}
