/**
 * Kafka records in and out of the job in Surge's wire format: raw records (decoded later, so bad
 * ones are dead-lettered rather than failing the job) and Avro records with the schema header.
 */
package io.surge.operators.kafka;
