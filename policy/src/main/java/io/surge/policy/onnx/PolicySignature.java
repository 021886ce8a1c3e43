package io.surge.policy.onnx;

import static io.surge.policy.onnx.PolicyRejectedException.Reason.WRONG_SIGNATURE;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Checks a loaded model's inputs and output against the contract: exactly {@code observation}
 * float32 [N, D] and {@code mask} float32 [N, A] in, exactly {@code probabilities} float32 [N, A]
 * out, N symbolic or 1.
 */
final class PolicySignature {

  private PolicySignature() {}

  static void check(OrtSession session, int dimension, int actions)
      throws OrtException, PolicyRejectedException {
    Map<String, NodeInfo> in = session.getInputInfo();
    Map<String, NodeInfo> out = session.getOutputInfo();
    Set<String> expectedIn = Set.of(PolicyModelContract.OBSERVATION, PolicyModelContract.MASK);
    if (!in.keySet().equals(expectedIn)) {
      throw new PolicyRejectedException(
          WRONG_SIGNATURE, "inputs " + in.keySet() + ", expected " + expectedIn);
    }
    if (!out.keySet().equals(Set.of(PolicyModelContract.PROBABILITIES))) {
      throw new PolicyRejectedException(
          WRONG_SIGNATURE, "outputs " + out.keySet() + ", expected [probabilities]");
    }
    checkTensor(in.get(PolicyModelContract.OBSERVATION), dimension);
    checkTensor(in.get(PolicyModelContract.MASK), actions);
    checkTensor(out.get(PolicyModelContract.PROBABILITIES), actions);
  }

  /** True when the model takes any number of rows per run (N symbolic), false for N = 1. */
  static boolean takesBatches(OrtSession session) throws OrtException {
    TensorInfo observation =
        (TensorInfo) session.getInputInfo().get(PolicyModelContract.OBSERVATION).getInfo();
    return observation.getShape()[0] == -1;
  }

  private static void checkTensor(NodeInfo node, int width) throws PolicyRejectedException {
    if (!(node.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
      throw new PolicyRejectedException(
          WRONG_SIGNATURE, "'" + node.getName() + "' must be a float32 tensor: " + node.getInfo());
    }
    long[] shape = t.getShape();
    boolean ok = shape.length == 2 && (shape[0] == -1 || shape[0] == 1) && shape[1] == width;
    if (!ok) {
      throw new PolicyRejectedException(
          WRONG_SIGNATURE,
          "'"
              + node.getName()
              + "' has shape "
              + Arrays.toString(shape)
              + ", expected [N, "
              + width
              + "]");
    }
  }
}
