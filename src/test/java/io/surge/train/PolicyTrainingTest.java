package io.surge.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.PolicyFile;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.PrivilegedFeatures;
import io.surge.sim.engine.Scenario;
import io.surge.sim.engine.Simulator;
import io.surge.sim.workload.WorkloadSpec;
import io.surge.state.metrics.Scoreboard;
import io.surge.train.export.PolicyModelReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTrainingTest {

  @Test
  void sameSeedAndBudgetExportIdenticalBytes() {
    byte[] first = PolicyTraining.run(TinyTraining.plan(3), p -> {}).modelBytes(1, "test");
    byte[] again = PolicyTraining.run(TinyTraining.plan(3), p -> {}).modelBytes(1, "test");
    byte[] other = PolicyTraining.run(TinyTraining.plan(4), p -> {}).modelBytes(1, "test");

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void warmStartWithOnlyCriticStepsKeepsTheActorItStartedFrom(@TempDir Path dir) {
    TrainingPlan plan = TinyTraining.plan(3);
    Path start = dir.resolve("start.onnx");
    PolicyTraining.run(plan, p -> {}).export(start, 1, "start");
    PolicyModelReader.Actor actor = PolicyModelReader.read(start);
    TrainingPlan frozenActor =
        plan.withPpo(plan.ppo().toBuilder().learningRate(1e-12).annealLearningRate(false).build());

    TrainedPolicy continued =
        PolicyTraining.run(frozenActor.withSeed(5), new WarmStart(actor, 512), p -> {});
    TrainedPolicy fresh = PolicyTraining.run(frozenActor.withSeed(5), p -> {});

    double[] before = actor.parameters();
    double[] after = continued.networks().actorParameters();
    assertThat(after).hasSameSizeAs(before);
    for (int i = 0; i < before.length; i++) {
      assertThat(after[i]).isCloseTo(before[i], within(1e-6));
    }
    assertThat(fresh.networks().actorParameters()).isNotEqualTo(before);
  }

  @Test
  void warmStartWithAPrivilegedCriticKeepsTheActorsNormalisationAndSpec(@TempDir Path dir)
      throws Exception {
    TrainingPlan plan = TinyTraining.plan(3);
    Path start = dir.resolve("start.onnx");
    PolicyTraining.run(plan, p -> {}).export(start, 1, "start");
    PolicyModelReader.Actor actor = PolicyModelReader.read(start);
    int extra = PrivilegedFeatures.names(new Simulator(plan.simulatorConfig()).topology()).size();
    TrainingPlan privilegedCritic =
        new TrainingPlan(
                plan.calibration(),
                plan.catalog(),
                plan.service(),
                plan.workloads(),
                DisturbanceSpec.parse("slowdown:server=1,factor=3,at=0"),
                null,
                plan.episodeSeconds(),
                plan.estimators(),
                true,
                plan.rewards(),
                null,
                plan.ppo().toBuilder().criticOnlyFeatures(extra).build(),
                plan.steps(),
                plan.seed(),
                null,
                null)
            .withSeed(5);
    Simulator probe = new Simulator(plan.simulatorConfig());
    List<OnnxPolicy> burnIns = new ArrayList<>();
    WarmStart warmStart =
        new WarmStart(actor, 256)
            .withBurnIn(
                1,
                () -> {
                  try {
                    OnnxPolicy p =
                        OnnxPolicy.load(
                            Files.readAllBytes(start),
                            probe.spec(),
                            probe.topology().actionNames(),
                            OnnxPolicy.Options.defaults().withMode(OnnxPolicy.Mode.ARGMAX));
                    burnIns.add(p);
                    return p;
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });

    TrainedPolicy continued = PolicyTraining.run(privilegedCritic, warmStart, p -> {});

    assertThat(continued.spec().hash()).isEqualTo(actor.specHash());
    assertThat(continued.networks().observationSize())
        .isEqualTo(continued.networks().actorInputSize() + extra);
    double[] mean = continued.networks().normalisation().mean();
    double[] std = continued.networks().normalisation().std();
    double[] actorMean = actor.normalisation().mean();
    double[] actorStd = actor.normalisation().std();
    for (int i = 0; i < actorMean.length; i++) {
      assertThat(mean[i]).as("actor feature %d", i).isEqualTo(actorMean[i]);
      assertThat(std[i]).as("actor feature %d", i).isEqualTo(actorStd[i]);
    }
    // the critic-only features are normalised from the data: the slowed server reads 3
    assertThat(mean[mean.length - 1]).isCloseTo(3.0, within(1e-6));
    assertThat(mean[actorMean.length]).as("next second's arrivals").isGreaterThan(50);
    assertThat(PolicyModelReader.read(continued.modelBytes(2, "test")).specHash())
        .isEqualTo(actor.specHash());
    assertThat(burnIns).as("one burn-in policy per environment").hasSize(2);
  }

  @Test
  void warmStartOfAnotherObservationSpecIsRefused(@TempDir Path dir) {
    TrainingPlan plan = TinyTraining.plan(3);
    Path start = dir.resolve("start.onnx");
    PolicyTraining.run(plan, p -> {}).export(start, 1, "start");
    TrainingPlan otherSpec =
        plan.withEstimators(
            plan.estimators().withHistoryLength(plan.estimators().historyLength() + 1));

    assertThatThrownBy(
            () ->
                PolicyTraining.run(
                    otherSpec, new WarmStart(PolicyModelReader.read(start), 0), p -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("observation spec");
  }

  @Test
  void reportsProgressPerUpdateWithEffectiveAccuracyAsAFraction() {
    List<TrainingProgress> progress = new ArrayList<>();
    TrainedPolicy policy = PolicyTraining.run(TinyTraining.plan(3), progress::add);

    assertThat(progress).hasSize((int) policy.summary().updates()).isNotEmpty();
    assertThat(policy.summary().environmentSteps()).isGreaterThanOrEqualTo(512);
    assertThat(policy.learningCurve().points()).hasSize(progress.size());
    for (TrainingProgress p : progress) {
      assertThat(p.effectiveAccuracy()).isBetween(0.0, 1.0);
    }
    assertThat(policy.lastProgress()).isEqualTo(progress.get(progress.size() - 1));
  }

  @Test
  void exportedModelLoadsWithOnnxPolicyAndDecidesInTheSimulator(@TempDir Path dir)
      throws Exception {
    TrainingPlan plan = TinyTraining.plan(3);
    TrainedPolicy trained = PolicyTraining.run(plan, p -> {});
    Path file = dir.resolve("policy.onnx");
    trained.export(file, 7, plan.describeWorkloads());

    Simulator simulator = new Simulator(plan.simulatorConfig());
    PolicyFile model = PolicyFile.read(file);
    assertThat(model.specHash()).isEqualTo(simulator.spec().hash());
    assertThat(model.trainedOn()).contains(TinyTraining.WORKLOAD);
    try (OnnxPolicy policy =
        OnnxPolicy.load(
            Files.readAllBytes(file),
            simulator.spec(),
            simulator.topology().actionNames(),
            OnnxPolicy.Options.defaults().withMode(OnnxPolicy.Mode.ARGMAX))) {
      assertThat(policy.version()).isEqualTo(7);
      Scoreboard scores =
          simulator.run(policy, Scenario.of(WorkloadSpec.parse("poisson:rate=300"), 2, 11));
      assertThat(scores.requests()).isGreaterThan(300);
      assertThat(scores.summary().effectiveAccuracy()).isBetween(0.0, 100.0);
    }
  }

  @Test
  void privilegedTrainingExportsTheOraclesSpecAndAPrivilegedCriticTheJobsSpec() {
    TrainingPlan plan = TinyTraining.plan(3);
    TrainingPlan oracle =
        new TrainingPlan(
            plan.calibration(),
            plan.catalog(),
            plan.service(),
            plan.workloads(),
            plan.disturbances(),
            plan.randomSlowdowns(),
            plan.episodeSeconds(),
            plan.estimators(),
            true,
            plan.rewards(),
            plan.teacher(),
            plan.ppo(),
            plan.steps(),
            plan.seed(),
            null,
            null);

    TrainedPolicy trained = PolicyTraining.run(oracle, p -> {});

    assertThat(trained.spec().privilegedFeatures()).isNotEmpty();
    assertThat(trained.spec().hash())
        .isEqualTo(new Simulator(oracle.simulatorConfig()).spec().hash())
        .isNotEqualTo(new Simulator(plan.simulatorConfig()).spec().hash());

    // the same privileged simulator, but the extra features feed the critic only
    int extra = trained.spec().privilegedFeatures().size();
    TrainedPolicy asymmetric =
        PolicyTraining.run(
            oracle.withPpo(oracle.ppo().toBuilder().criticOnlyFeatures(extra).build()), p -> {});

    assertThat(asymmetric.spec().hash())
        .isEqualTo(new Simulator(plan.simulatorConfig()).spec().hash());
    assertThat(asymmetric.networks().actorInputSize())
        .isEqualTo(asymmetric.networks().observationSize() - extra);
    assertThat(PolicyModelReader.read(asymmetric.modelBytes(1, "test")).observationSize())
        .isEqualTo(asymmetric.spec().dimension());
  }
}
