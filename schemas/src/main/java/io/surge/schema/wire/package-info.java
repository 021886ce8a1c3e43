/**
 * The wire format of every topic: raw binary Avro plus the {@code surge.schema} fingerprint header
 * (DESIGN.md section 6). The record classes themselves are generated from {@code schemas/*.avsc}.
 */
package io.surge.schema.wire;
