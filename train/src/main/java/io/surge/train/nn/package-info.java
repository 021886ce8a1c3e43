/**
 * Small dense networks for the learner, in plain Java and double precision: a multi-layer
 * perceptron ({@link io.surge.train.nn.Mlp}) over flat parameter and gradient arrays, the masked
 * softmax the policy model ends with, running observation normalisation, Adam and gradient-norm
 * clipping. Hidden layers are {@code Relu(x W + b)} with {@code W} row-major {@code [in][out]},
 * exactly what {@link io.surge.train.export.PolicyModelWriter} writes, so an exported model
 * computes the same function. Transcendental functions go through {@link java.lang.StrictMath}: its
 * results are specified bit for bit, which keeps training reproducible whatever the JIT does.
 */
package io.surge.train.nn;
