package io.surge.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surge.sim.engine.Calibration;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.train.eval.MeanInterval;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimToRealTest {

  /** A row with the simulator's mean and the real job's per-run values (fractions). */
  private static SimToReal.Row row(String policy, double simulator, double... realPerRun) {
    double[] simulatorPerRun = new double[realPerRun.length];
    java.util.Arrays.fill(simulatorPerRun, simulator);
    return new SimToReal.Row(
        policy,
        new MeanInterval(simulator, 0.01),
        simulatorPerRun,
        MeanInterval.of(realPerRun),
        realPerRun,
        null,
        4,
        12);
  }

  @Test
  void theBestFixedVariantIsTheLargestThatKeepsUpWithASteadyLoad() {
    // 0.4 of the shipped ladder's capacity: resnet152 falls behind, resnet101 keeps up
    WorkloadSpec load = WorkloadSpec.parse("poisson:rate=734.1");
    List<SimToReal.Row> rows =
        List.of(row("adaptive", 0.78, 0.78, 0.78), row("static", 0.70, 0.70, 0.70));

    String sentence =
        SimToReal.bestFixedVariant(
            Calibration.defaultCatalog(),
            Calibration.defaults(),
            load,
            DemoSettings.defaults(),
            2,
            rows);

    assertThat(sentence)
        .contains("`fixed:resnet101-like`, 77.37")
        .contains("above it: adaptive;")
        .contains("not above it: static.");
  }

  @Test
  void theBarIsJudgedOnTheSeedBySeedDifference() {
    // seed by seed the simulator and the real job differ in both directions (a cliff)
    SimToReal.Row cliff =
        new SimToReal.Row(
            "largest",
            MeanInterval.of(new double[] {0.66, 0.415, 0.396}),
            new double[] {0.66, 0.415, 0.396},
            MeanInterval.of(new double[] {0.272, 0.501, 0.242}),
            new double[] {0.272, 0.501, 0.242},
            null,
            4,
            12);
    assertThat(cliff.differencePoints()).isGreaterThan(5);
    assertThat(cliff.withinBar()).isEqualTo(SimToReal.Verdict.NOT_RESOLVED);

    assertThat(row("steady", 0.76, 0.66, 0.67, 0.66).withinBar()).isEqualTo(SimToReal.Verdict.NO);
    assertThat(row("close", 0.76, 0.75, 0.74, 0.73).withinBar()).isEqualTo(SimToReal.Verdict.YES);
    assertThat(row("one run", 0.76, 0.70).withinBar()).isEqualTo(SimToReal.Verdict.NO);
    assertThat(row("spread", 0.76, 0.70, 0.82, 0.76).withinBar())
        .as("the means agree, the runs cannot show it")
        .isEqualTo(SimToReal.Verdict.NOT_RESOLVED);
  }

  @Test
  void theSameOrderHasNoSwaps() {
    List<SimToReal.Row> rows =
        List.of(row("a", 0.76, 0.75, 0.76, 0.77), row("b", 0.70, 0.69, 0.71, 0.70));

    assertThat(SimToReal.swaps(rows)).isEmpty();
    assertThat(SimToReal.ranking(List.of())).isEqualTo("Same ranking of the policies: yes.");
  }

  @Test
  void aSimulatorTieOrdersNothing() {
    List<SimToReal.Row> rows =
        List.of(row("a", 0.7613, 0.75, 0.76, 0.77), row("b", 0.7613, 0.69, 0.71, 0.70));

    assertThat(SimToReal.swaps(rows)).isEmpty();
  }

  @Test
  void aSwapTheRealRunsCannotResolveIsNotAContradiction() {
    // the real job puts b above a by 1 point on the mean, but run 2 says the opposite
    List<SimToReal.Row> rows =
        List.of(row("a", 0.71, 0.66, 0.70, 0.66), row("b", 0.69, 0.68, 0.69, 0.68));

    List<SimToReal.Swap> swaps = SimToReal.swaps(rows);

    assertThat(swaps).hasSize(1);
    assertThat(swaps.get(0).realJobTellsApart()).isFalse();
    assertThat(SimToReal.ranking(swaps))
        .startsWith("Same ranking of the policies: no; ordered differently: a / b")
        .contains("not told apart by these runs")
        .endsWith("the simulator's order is the same.");
  }

  @Test
  void aSwapTheRealRunsResolveIsAContradiction() {
    // b beats a by 3 points in every run (paired), the simulator says the opposite
    List<SimToReal.Row> rows =
        List.of(row("a", 0.72, 0.66, 0.70, 0.68), row("b", 0.70, 0.69, 0.73, 0.71));

    List<SimToReal.Swap> swaps = SimToReal.swaps(rows);

    assertThat(swaps).hasSize(1);
    assertThat(swaps.get(0).realJobTellsApart()).isTrue();
    assertThat(swaps.get(0).realDifference().mean()).isCloseTo(-0.03, within(1e-9));
    assertThat(SimToReal.ranking(swaps)).endsWith("the simulator's order differs.");
  }
}
