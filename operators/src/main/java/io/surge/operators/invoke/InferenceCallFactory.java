package io.surge.operators.invoke;

import java.io.Serializable;

/**
 * Creates the {@link InferenceCall} of one parallel invoker instance in {@code open()}: the call
 * holds HTTP clients and threads, which cannot travel inside the serialized job graph.
 */
@FunctionalInterface
public interface InferenceCallFactory extends Serializable {

  InferenceCall create() throws Exception;
}
