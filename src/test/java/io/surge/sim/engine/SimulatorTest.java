package io.surge.sim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.policy.Decision;
import io.surge.policy.DecisionContext;
import io.surge.policy.SchedulingPolicy;
import io.surge.policy.baseline.GreedySloPolicy;
import io.surge.policy.baseline.LargestPolicy;
import io.surge.schema.ResultStatus;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.metrics.Scoreboard;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorTest {

  private static final WorkloadSpec BURSTY = WorkloadSpec.parse("mmpp:rates=100/700,dwell=3/2");

  private final SimulatorConfig config = SimulatorConfig.defaults();

  @Test
  void everyArrivalEndsInExactlyOneOutcome() {
    Simulator sim = new Simulator(config);
    BitSet seen = new BitSet();
    int[] duplicates = {0};
    DisturbanceSpec chaos =
        DisturbanceSpec.parse(
            "slowdown:server=1,factor=3,at=2,for=4;outage:server=0,at=5,for=3;"
                + "errors:server=edge-1,at=9,for=1,every=4");
    Scoreboard board =
        sim.run(
            new GreedySloPolicy(),
            new Scenario(BURSTY, chaos, 20, 7),
            (decision, outcome, variant, reward, latencyMs, now) -> {
              if (seen.get((int) decision)) {
                duplicates[0]++;
              }
              seen.set((int) decision);
            });

    long total =
        board.count(ResultStatus.OK)
            + board.count(ResultStatus.LATE)
            + board.count(ResultStatus.SHED)
            + board.count(ResultStatus.FAILED);
    assertThat(sim.created()).isGreaterThan(3000);
    assertThat(board.requests()).isEqualTo(sim.created()).isEqualTo(total);
    assertThat(duplicates[0]).isZero();
    assertThat(seen.cardinality()).isEqualTo((int) sim.created());
    assertThat(board.count(ResultStatus.FAILED)).as("the outage fails calls").isPositive();
    assertThat(sim.workloadState().inflightCount).as("every dispatch completed").isZero();
  }

  @Test
  void batchesLeaveEachQueueInArrivalOrderOneExecutionAtATimePerServer() {
    Simulator sim = new Simulator(config);
    Map<Integer, Long> lastEnqueuedByQueue = new HashMap<>();
    long[] lastEndByServer = new long[2];
    List<String> violations = new ArrayList<>();
    int[] current = new int[1];
    sim.trace(
        new ExecutionTrace() {
          @Override
          public void onExecution(int server, int variant, int size, long start, long end) {
            if (start < lastEndByServer[server]) {
              violations.add("overlap on server " + server + " at " + start);
            }
            lastEndByServer[server] = end;
            current[0] = variant * 2 + server;
          }

          @Override
          public void onMember(long decision, long enqueuedAt) {
            long last = lastEnqueuedByQueue.getOrDefault(current[0], Long.MIN_VALUE);
            if (enqueuedAt < last) {
              violations.add("out of order in queue " + current[0]);
            }
            lastEnqueuedByQueue.put(current[0], enqueuedAt);
          }
        });

    sim.run(new GreedySloPolicy(), Scenario.of(BURSTY, 15, 3));

    assertThat(lastEnqueuedByQueue).isNotEmpty();
    assertThat(violations).isEmpty();
  }

  @Test
  void latencyIsNeverBelowTheProfiledServiceTime() {
    Simulator sim = new Simulator(config.withExecutionJitter(false));
    double[] minOk = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, 1e9, 1e9};
    sim.run(
        new GreedySloPolicy(),
        Scenario.of(BURSTY, 10, 5),
        (decision, outcome, variant, reward, latencyMs, now) -> {
          if (outcome == ResultStatus.OK) {
            minOk[variant] = Math.min(minOk[variant], latencyMs);
          }
        });

    for (int v = 0; v < 5; v++) {
      if (minOk[v] < 1e9) {
        assertThat(minOk[v]).isGreaterThanOrEqualTo(sim.latency().latencyMs(v, 0, 1));
      }
    }
    assertThat(minOk[4]).as("the largest variant served some on time").isLessThan(1e9);
  }

  @Test
  void aRunIsDeterministicForItsSeed() {
    Simulator sim = new Simulator(config);
    Scoreboard.Summary a = sim.run(new GreedySloPolicy(), Scenario.of(BURSTY, 10, 11)).summary();
    Scoreboard.Summary b = sim.run(new GreedySloPolicy(), Scenario.of(BURSTY, 10, 11)).summary();
    Scoreboard.Summary c = sim.run(new GreedySloPolicy(), Scenario.of(BURSTY, 10, 12)).summary();

    assertThat(b.requests()).isEqualTo(a.requests());
    assertThat(b.effectiveAccuracy()).isEqualTo(a.effectiveAccuracy());
    assertThat(b.p99LatencyMs()).isEqualTo(a.p99LatencyMs());
    assertThat(b.variantMix()).containsExactly(a.variantMix());
    assertThat(c.requests() != a.requests() || c.effectiveAccuracy() != a.effectiveAccuracy())
        .isTrue();
  }

  @Test
  void policiesOnTheSameSeedSeeTheSameRequests() {
    Simulator sim = new Simulator(config);
    long greedy = sim.run(new GreedySloPolicy(), Scenario.of(BURSTY, 10, 4)).requests();
    long largest = sim.run(new LargestPolicy(), Scenario.of(BURSTY, 10, 4)).requests();
    assertThat(largest).isEqualTo(greedy);
  }

  @Test
  void aSlowDownMakesTheLargestVariantLate() {
    Simulator sim = new Simulator(config);
    WorkloadSpec light = WorkloadSpec.parse("poisson:rate=20");
    Scoreboard.Summary calm = sim.run(new LargestPolicy(), Scenario.of(light, 20, 1)).summary();
    DisturbanceSpec slow =
        DisturbanceSpec.parse(
            "slowdown:server=0,factor=10,at=0,for=100;slowdown:server=1,factor=10,at=0,for=100");
    Scoreboard.Summary slowed =
        sim.run(new LargestPolicy(), new Scenario(light, slow, 20, 1)).summary();

    assertThat(calm.sloAttainment()).isGreaterThan(0.95);
    assertThat(slowed.lateRate()).isGreaterThan(0.9);
  }

  @Test
  void anOutageMasksTheServersVariantsOnceDetected() {
    // edge-1 hosts only the smallest variant: while edge-0 is masked, the larger ones are masked
    var catalog = config.catalog();
    var edge1 = catalog.servers().get(1);
    var small =
        new io.surge.state.catalog.Catalog(
            catalog.services(),
            List.of(
                catalog.servers().get(0),
                new io.surge.state.catalog.Catalog.Server(
                    edge1.name(), edge1.url(), List.of("resnet18-like"))));
    Simulator sim =
        new Simulator(SimulatorConfig.of(small, "image-classification", config.calibration()));
    List<long[]> maskedAt = new ArrayList<>();
    SchedulingPolicy largestRecordingMasks =
        new SchedulingPolicy() {
          private final LargestPolicy largest = new LargestPolicy();

          @Override
          public void decide(
              float[] obs, float[] mask, long seed, DecisionContext ctx, Decision out) {
            if (mask[4] == 0f) {
              maskedAt.add(new long[] {ctx.nowNanos(), ctx.healthyServers()});
            }
            largest.decide(obs, mask, seed, ctx, out);
          }

          @Override
          public String name() {
            return "largest-recording";
          }
        };
    DisturbanceSpec outage = DisturbanceSpec.parse("outage:server=edge-0,at=2,for=5");

    Scoreboard board =
        sim.run(
            largestRecordingMasks,
            new Scenario(WorkloadSpec.parse("poisson:rate=50"), outage, 12, 9));

    assertThat(maskedAt).isNotEmpty();
    assertThat(maskedAt.get(0)[0])
        .as("masked only after the outage began")
        .isGreaterThan(2_000_000_000L);
    assertThat(maskedAt.get(0)[1]).isEqualTo(0b10L);
    assertThat(maskedAt.get(maskedAt.size() - 1)[0])
        .as("not masked long after it ended")
        .isLessThan(7_000_000_000L + 2_100_000_000L);
    assertThat(board.count(ResultStatus.FAILED)).isPositive();
  }

  @Test
  void privilegedFeaturesAreAppendedAndTrue() {
    Simulator sim = new Simulator(config.withPrivileged(true));
    int offset = sim.spec().privilegedOffset();
    assertThat(sim.spec().dimension()).isEqualTo(offset + 3);
    assertThat(sim.spec().hash()).isNotEqualTo(new Simulator(config).spec().hash());

    DisturbanceSpec slow = DisturbanceSpec.parse("slowdown:server=1,factor=2.5,at=0,for=100");
    sim.start(
        new Scenario(WorkloadSpec.parse("poisson:rate=200"), slow, 5, 2), OutcomeListener.NONE);
    double arrivalsSum = 0;
    int decisions = 0;
    while (sim.advance()) {
      float[] obs = sim.observation();
      assertThat(obs[offset + 1]).isEqualTo(1f);
      assertThat(obs[offset + 2]).isEqualTo(2.5f);
      if (sim.nowNanos() < 3_000_000_000L) {
        arrivalsSum += obs[offset];
        decisions++;
      }
      sim.decide(new GreedySloPolicy());
    }
    assertThat(arrivalsSum / decisions).isBetween(170.0, 230.0);
  }
}
