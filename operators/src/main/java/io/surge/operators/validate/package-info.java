/**
 * Decoding and validation of input records; every rejected record becomes exactly one dead letter
 * on {@link io.surge.operators.validate.DeadLetters#TAG} with its source topic, partition, offset
 * and reason.
 */
package io.surge.operators.validate;
