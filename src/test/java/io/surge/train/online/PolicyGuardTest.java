package io.surge.train.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.Calibration;
import io.surge.sim.engine.Simulator;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.train.export.PolicyModelWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guard on the shipped policy and on constant policies, in the default simulator. */
class PolicyGuardTest {

  private static final SimulatorConfig SIMULATOR =
      SimulatorConfig.of(
          Calibration.defaultCatalog(),
          Calibration.defaultCatalog().services().get(0).name(),
          Calibration.defaults());

  /** 0.8 C: the shipped policy serves resnet50 and beats the smallest variant by ~6 pp. */
  private static final WorkloadSpec STEADY = WorkloadSpec.parse("poisson:rate=1468");

  private static final Path SHIPPED = Path.of("deploy", "policies", "default.onnx");

  @TempDir Path dir;

  private final PolicyGuard guard =
      new PolicyGuard(SIMULATOR, STEADY, DisturbanceSpec.NONE, 3, 10, 0.0025, 2);

  @Test
  void aPolicyThatAlwaysShedsIsNeverPublished() throws Exception {
    Path alwaysShed =
        constant("always-shed.onnx", new Simulator(SIMULATOR).spec().actionCount() - 1);

    GuardVerdict verdict = guard.judge(SHIPPED, alwaysShed);

    assertThat(verdict.publish()).isFalse();
    assertThat(verdict.candidate()).isZero();
    assertThat(verdict.difference().upper()).isNegative();
    assertThat(verdict.reason()).startsWith("not better");
  }

  @Test
  void aClearlyBetterCandidateIsPublished() throws Exception {
    Path smallest = constant("smallest.onnx", 0);
    Path candidate = Files.copy(SHIPPED, dir.resolve("candidate.onnx"));

    GuardVerdict verdict = guard.judge(smallest, candidate);

    assertThat(verdict.publish()).as(verdict.reason()).isTrue();
    assertThat(verdict.difference().lower()).isPositive();
    assertThat(verdict.reason()).startsWith("no worse");
  }

  @Test
  void theSamePolicyIsNotBetterThanItself() throws Exception {
    Path copy = Files.copy(SHIPPED, dir.resolve("copy.onnx"));

    GuardVerdict verdict = guard.judge(SHIPPED, copy);

    assertThat(verdict.publish()).isFalse();
    assertThat(verdict.difference().mean()).isZero();
  }

  @Test
  void refusesToCompareAFileWithItself() {
    assertThatThrownBy(() -> guard.judge(SHIPPED, SHIPPED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("running policy's file");
  }

  /**
   * A policy that picks {@code action} (the last one sheds) whenever the mask allows it: zero
   * weights, one bias.
   */
  private Path constant(String name, int action) {
    Simulator simulator = new Simulator(SIMULATOR);
    List<String> variants = simulator.topology().actionNames();
    int a = simulator.spec().actionCount();
    float[] bias = new float[a];
    for (int i = 0; i < a; i++) {
      bias[i] = i == action ? 0f : -30f;
    }
    Path file = dir.resolve(name);
    PolicyModelWriter.forSpec(simulator.spec(), variants)
        .output(new float[simulator.spec().dimension() * a], bias)
        .version(1)
        .trainedOn(STEADY.toSpec())
        .writeTo(file);
    return file;
  }
}
