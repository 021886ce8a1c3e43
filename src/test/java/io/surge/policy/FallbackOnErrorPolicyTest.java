package io.surge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.policy.baseline.LargestPolicy;
import io.surge.policy.baseline.SmallestPolicy;
import org.junit.jupiter.api.Test;

class FallbackOnErrorPolicyTest {

  /** A policy that fails on every call, as an ONNX session whose run throws. */
  private static final class Broken implements SchedulingPolicy {
    @Override
    public void decide(float[] o, float[] m, long seed, DecisionContext c, Decision out) {
      throw new IllegalStateException("ort run failed");
    }

    @Override
    public String name() {
      return "broken";
    }

    @Override
    public long version() {
      return 7;
    }
  }

  @Test
  void aFailingPrimaryIsReplacedByTheFallbackForThatRequest() {
    FallbackOnErrorPolicy policy = new FallbackOnErrorPolicy(new Broken(), new SmallestPolicy());
    Decision out = new Decision();
    policy.decide(new float[4], new float[] {1, 1, 1, 1}, 42, null, out);
    assertThat(out.action()).isZero();
    assertThat(policy.failures()).isEqualTo(1);
    assertThat(policy.lastFailure()).hasMessage("ort run failed");
    assertThat(policy.version()).isEqualTo(7);
  }

  @Test
  void aWorkingPrimaryDecidesAlone() {
    FallbackOnErrorPolicy policy =
        new FallbackOnErrorPolicy(new LargestPolicy(), new SmallestPolicy());
    Decision out = new Decision();
    policy.decide(new float[4], new float[] {1, 1, 1, 1}, 42, null, out);
    assertThat(out.action()).isEqualTo(2);
    assertThat(policy.failures()).isZero();
  }
}
