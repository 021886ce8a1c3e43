/** The JVM's one ONNX Runtime environment, shared by the server, the ladder and the policy. */
package io.surge.state.onnx;
