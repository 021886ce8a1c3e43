package io.surge.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MmppWorkloadTest {

  @Test
  void longRunRateMatchesTheTimeWeightedMean() {
    MmppWorkload spec = (MmppWorkload) WorkloadSpec.parse("mmpp:rates=2/20,dwell=0.5/0.5");
    double horizon = 20_000;
    long count = Arrivals.countUntil(spec.newProcess(11), horizon);

    // count variance = mean count + (rate gap)^2 * 2ab/(a+b)^3 * T for switch rates a = b = 2/s
    double expected = spec.meanRate() * horizon;
    double variance = expected + 18 * 18 * (2 * 2 * 2 / Math.pow(4, 3)) * horizon;
    assertThat(spec.meanRate()).isEqualTo(11.0);
    assertThat((double) count).isCloseTo(expected, within(5 * Math.sqrt(variance)));
  }

  @Test
  void phasesCycleInOrderAndEachHasItsOwnRate() {
    WorkloadSpec spec = WorkloadSpec.parse("mmpp:rates=100/300/600,dwell=2/1/1");
    List<double[]> arrivals = Arrivals.withHiddenState(spec.newProcess(5), 4_000);

    long[] perPhase = new long[3];
    double[] timeInPhase = new double[3];
    int switches = 0;
    int forward = 0;
    double runStart = arrivals.get(0)[0];
    for (int i = 1; i < arrivals.size(); i++) {
      int previous = (int) arrivals.get(i - 1)[1];
      int phase = (int) arrivals.get(i)[1];
      perPhase[previous]++;
      if (phase != previous) {
        // a phase with no arrival at all is invisible, so rarely the next phase seems skipped
        forward += phase == (previous + 1) % 3 ? 1 : 0;
        timeInPhase[previous] += arrivals.get(i - 1)[0] - runStart;
        runStart = arrivals.get(i)[0];
        switches++;
      }
    }
    // cyclic order: random switching would go forward only half the time
    assertThat(forward / (double) switches).isGreaterThan(0.98);
    // about one cycle (three switches) per 4 s
    assertThat(switches).isBetween(2_700, 3_300);
    assertThat(perPhase[0] / timeInPhase[0]).isCloseTo(100, within(5.0));
    assertThat(perPhase[1] / timeInPhase[1]).isCloseTo(300, within(15.0));
    assertThat(perPhase[2] / timeInPhase[2]).isCloseTo(600, within(30.0));
    // share of arrivals per phase: R_k D_k / sum R_j D_j = 200/1100, 300/1100, 600/1100
    double total = perPhase[0] + perPhase[1] + perPhase[2];
    assertThat(perPhase[0] / total).isCloseTo(200 / 1100.0, within(0.02));
    assertThat(perPhase[2] / total).isCloseTo(600 / 1100.0, within(0.03));
  }

  @Test
  void hiddenRateIsThePhaseRate() {
    ArrivalProcess process = WorkloadSpec.parse("mmpp:rates=5/50,dwell=1/1").newProcess(2);
    for (int i = 0; i < 1000; i++) {
      process.nextArrival();
      assertThat(process.hiddenRate()).isEqualTo(process.hiddenState() == 0 ? 5.0 : 50.0);
    }
  }

  @Test
  void startPhaseFollowsTheStationaryDistribution() {
    WorkloadSpec spec = WorkloadSpec.parse("mmpp:rates=1/1,dwell=9/1");
    int startsInFirst = 0;
    for (long seed = 0; seed < 2_000; seed++) {
      startsInFirst += spec.newProcess(seed).hiddenState() == 0 ? 1 : 0;
    }
    assertThat(startsInFirst / 2000.0).isCloseTo(0.9, within(0.04));
  }

  @Test
  void zeroRatePhaseIsAnOffPeriod() {
    ArrivalProcess process = WorkloadSpec.parse("mmpp:rates=0/100,dwell=1/1").newProcess(9);
    for (int i = 0; i < 10_000; i++) {
      process.nextArrival();
      assertThat(process.hiddenState()).isEqualTo(1);
    }
  }
}
