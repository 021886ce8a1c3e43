package io.surge.policy.onnx;

/** Names of the policy-model contract (DESIGN.md section 6), shared by writer and loader. */
public final class PolicyModelContract {

  public static final String OBSERVATION = "observation";
  public static final String MASK = "mask";
  public static final String PROBABILITIES = "probabilities";

  public static final String SPEC_HASH = "surge.spec_hash";
  public static final String ACTIONS = "surge.actions";
  public static final String VERSION = "surge.version";
  public static final String TRAINED_ON = "surge.trained_on";

  private PolicyModelContract() {}
}
