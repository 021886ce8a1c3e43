package io.surge.train.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.PolicyModelContract;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.Calibration;
import io.surge.sim.engine.Scenario;
import io.surge.sim.engine.Simulator;
import io.surge.sim.engine.SimulatorConfig;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.EstimatorSettings;
import io.surge.state.catalog.Catalog;
import io.surge.train.export.PolicyModelReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One learning cycle in-process with tiny budgets: the job's experience says edge-1 runs 3x slower
 * than the profile; the learner estimates that, fine-tunes the shipped policy in the simulator
 * calibrated that way, and either publishes the candidate (only with the guard's yes) or keeps the
 * running policy with the guard's reason.
 */
class OnlineLearnerTest {

  private static final Calibration BASE = Calibration.defaults();
  private static final Catalog CATALOG = Calibration.defaultCatalog();
  private static final String SERVICE = CATALOG.services().get(0).name();
  private static final Path SHIPPED = Path.of("deploy", "policies", "default.onnx");
  private static final String SHIPPED_SPEC = PolicyModelReader.read(SHIPPED).specHash();

  @TempDir Path dir;

  private final List<Path> published = new ArrayList<>();

  @Test
  void aDriftedServerLeadsToAJudgedCandidateThatIsPublishedOnlyWithTheGuardsYes() {
    OnlineLearner learner = learner();

    CycleOutcome early = learner.cycle();
    assertThat(early.status()).isEqualTo(CycleOutcome.Status.SKIPPED);
    assertThat(early.reason()).contains("decisions in the window");

    feedDrift(learner);
    assertThat(learner.latency().serverScales().get("edge-1")).isGreaterThan(2.0);
    assertThat(learner.latency().serverScales()).containsEntry("edge-0", 1.0);
    assertThat(learner.recentWorkload().toSpec()).startsWith("mmpp:");

    CycleOutcome outcome = learner.cycle();

    assertThat(outcome.status()).isNotEqualTo(CycleOutcome.Status.SKIPPED);
    assertThat(outcome.candidate()).exists();
    assertThat(PolicyModelReader.read(outcome.candidate()).metadata())
        .containsEntry(PolicyModelContract.VERSION, "2")
        .hasEntrySatisfying(
            PolicyModelContract.TRAINED_ON, on -> assertThat(on).contains("edge-1 x"));
    assertThat(learner.counters().trained()).isEqualTo(1);
    assertThat(learner.counters().skipped()).isEqualTo(1);
    if (outcome.verdict().publish()) {
      assertThat(outcome.status()).isEqualTo(CycleOutcome.Status.PUBLISHED);
      assertThat(published).containsExactly(outcome.candidate());
      assertThat(learner.running()).isEqualTo(outcome.candidate());
      assertThat(outcome.publishedVersion()).isEqualTo(2);
      assertThat(learner.counters().published()).isEqualTo(1);
    } else {
      assertThat(outcome.status()).isEqualTo(CycleOutcome.Status.REJECTED);
      assertThat(published).isEmpty();
      assertThat(learner.running()).isEqualTo(SHIPPED);
      assertThat(outcome.reason()).matches("(not better|may be worse).*");
      assertThat(learner.counters().rejected()).isEqualTo(1);
    }
    assertThat(learner.counters().published() + learner.counters().rejected()).isEqualTo(1);
  }

  @Test
  void aCycleTakesPpoStepsOnTheLoggedDecisionsOfTheRunningSpec() throws Exception {
    // the shipped policy sampling (the job's SAMPLE mode) on the drifted site, logged as the job
    // logs it: observations, masks, actions and their behaviour probabilities
    SimulatorConfig site =
        SimulatorConfig.of(CATALOG, SERVICE, BASE).withEstimators(EstimatorSettings.defaults());
    Simulator probe = new Simulator(site);
    SimulatedExperience.Log log;
    try (OnnxPolicy policy =
        OnnxPolicy.load(
            Files.readAllBytes(SHIPPED),
            probe.spec(),
            probe.topology().actionNames(),
            OnnxPolicy.Options.defaults())) {
      log =
          SimulatedExperience.record(
              site,
              new Scenario(
                  WorkloadSpec.parse("poisson:rate=400"),
                  DisturbanceSpec.parse("slowdown:server=edge-1,factor=3,at=0"),
                  10,
                  3),
              policy,
              1,
              1_000_000);
    }
    assertThat(log.decisions()).hasSizeGreaterThan(3_000);
    assertThat(log.decisions())
        .allSatisfy(
            d -> {
              assertThat(d.specHash()).isEqualTo(SHIPPED_SPEC);
              assertThat(d.probability()).isGreaterThan(0).isLessThanOrEqualTo(1);
            });
    assertThat(log.decisions().stream().filter(d -> d.probability() < 0.999).count())
        .as("sampled decisions: some were not the only choice")
        .isPositive();
    OnlineLearner learner = learner(TinyLearnerSettings.of(500).withLoggedEpochs(1, 1));
    log.decisions().forEach(learner::observe);
    log.completions().forEach(learner::observe);
    log.executions().forEach(learner::observe);

    CycleOutcome outcome = learner.cycle();

    assertThat(outcome.status()).isNotEqualTo(CycleOutcome.Status.SKIPPED);
    assertThat(PolicyModelReader.read(outcome.candidate()).metadata())
        .hasEntrySatisfying(
            PolicyModelContract.TRAINED_ON,
            on -> assertThat(on).containsPattern("; [1-9][0-9]+ logged decisions"));
  }

  private OnlineLearner learner() {
    return learner(TinyLearnerSettings.of(500));
  }

  private OnlineLearner learner(LearnerSettings tiny) {
    return new OnlineLearner(
        CATALOG,
        SERVICE,
        BASE,
        EstimatorSettings.defaults(),
        tiny,
        SHIPPED,
        dir,
        candidate -> {
          published.add(candidate);
          return 1 + published.size();
        });
  }

  /**
   * 30 s of bursty decisions (calm 1 000/s, bursts of 2 500/s), each sent twice as the
   * at-least-once topic may; completions with edge-1 three times slower.
   */
  static void feedDrift(OnlineLearner learner) {
    SplittableRandom random = new SplittableRandom(11);
    long t = 1_000_000;
    int id = 0;
    for (int second = 0; second < 30; second++) {
      int rate = second % 6 < 4 ? 1_000 : 2_500;
      for (int i = 0; i < rate; i++) {
        LoggedDecision d =
            ExperienceWindowsTest.decision(
                "r" + id++, SERVICE, t + second * 1000L + random.nextInt(1000));
        assertThat(learner.observe(d)).isTrue();
        assertThat(learner.observe(d)).isFalse();
      }
    }
    for (String server : List.of("edge-0", "edge-1")) {
      double k = server.equals("edge-1") ? 3 : 1;
      for (Catalog.Variant v : CATALOG.service(SERVICE).variants()) {
        double execution = BASE.profile().medianMs(server, v.model(), 1) * k;
        for (int i = 0; i < 100; i++) {
          double latency =
              BASE.creationToDecision().valueAt(random.nextDouble())
                  + BASE.protocolOverhead().valueAt(random.nextDouble())
                  + execution * (1 + 0.3 * random.nextDouble())
                  + 2 * random.nextDouble();
          learner.observe(
              new ObservedCompletion("c" + i, SERVICE, server, v.name(), "OK", latency, t));
        }
      }
    }
  }
}
