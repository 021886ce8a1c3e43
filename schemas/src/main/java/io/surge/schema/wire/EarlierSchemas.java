package io.surge.schema.wire;

import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Schemas a topic's records were written with before the current one, kept so that a record with an
 * earlier schema's fingerprint is still read (resolved to the current schema, added fields at their
 * defaults) rather than dead-lettered. Schemas only ever evolve by adding optional fields with
 * defaults; each earlier version is kept here verbatim, oldest first.
 */
final class EarlierSchemas {

  private EarlierSchemas() {}

  /** {@code PolicyUpdate} before {@code model_uri} (references to large models) was added. */
  private static final String POLICY_UPDATE_1 =
      """
          {
            "type": "record",
            "name": "PolicyUpdate",
            "namespace": "io.surge.schema",
            "doc": "A scheduling policy version on the `policies` topic. The scheduler applies it only if valid and newer than the current one.",
            "fields": [
              {"name": "version", "type": "long", "doc": "Monotonic policy version (> 0)."},
              {"name": "name", "type": "string", "doc": "Human-readable name, e.g. ppo-mmpp-2026-11-26."},
              {"name": "service", "type": ["null", "string"], "default": null, "doc": "The service it schedules; null for every service with the same action list."},
              {"name": "created_at", "type": {"type": "long", "logicalType": "timestamp-millis"}, "doc": "When it was published."},
              {"name": "spec_hash", "type": "string", "doc": "Hash of the observation spec it was trained on; must equal the job's."},
              {"name": "actions", "type": {"type": "array", "items": "string"}, "doc": "Variant names in action order; shed is the last action and not listed."},
              {"name": "sha256", "type": "string", "doc": "SHA-256 (hex) of model."},
              {"name": "model", "type": "bytes", "doc": "The ONNX model bytes (policy-model contract of DESIGN.md section 6)."},
              {"name": "trained_on", "type": ["null", "string"], "default": null, "doc": "The workload it was trained on."}
            ]
          }
      """;

  private static final Map<String, List<String>> BY_RECORD =
      Map.of("io.surge.schema.PolicyUpdate", List.of(POLICY_UPDATE_1));

  /** The earlier writer schemas of a record, by its full name (empty when it never changed). */
  static List<Schema> of(String fullName) {
    return BY_RECORD.getOrDefault(fullName, List.of()).stream()
        .map(json -> new Schema.Parser().parse(json))
        .toList();
  }
}
