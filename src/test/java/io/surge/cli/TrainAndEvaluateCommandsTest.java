package io.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surge.train.TrainingPlan;
import io.surge.train.eval.EvaluationPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code surge train} and {@code surge evaluate}: options parsed into plans, files written. */
class TrainAndEvaluateCommandsTest {

  private final CliRun cli = new CliRun();

  @Test
  void trainOptionsBecomeThePlan() {
    TrainCommand command = new TrainCommand();
    new CommandLine(command)
        .parseArgs(
            "--workload",
            "poisson:rate=300; mmpp:rates=100/600,dwell=10/5",
            "--random-slowdowns",
            "--privileged",
            "--history",
            "2",
            "--steps",
            "5000",
            "--minutes",
            "1.5",
            "--seed",
            "9",
            "--out",
            "x");

    TrainingPlan plan = command.plan();

    assertThat(plan.workloads()).hasSize(2);
    assertThat(plan.workloads().get(1).toSpec()).startsWith("mmpp:");
    assertThat(plan.randomSlowdowns()).isNotNull();
    assertThat(plan.privileged()).isTrue();
    assertThat(plan.estimators().historyLength()).isEqualTo(2);
    assertThat(plan.steps()).isEqualTo(5000);
    assertThat(plan.seed()).isEqualTo(9);
    assertThat(plan.wallClockCap()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void ablationAndDiscountOptionsBecomeThePlan() {
    TrainCommand command = new TrainCommand();
    new CommandLine(command)
        .parseArgs(
            "--scenario",
            "train",
            "--single-rate-scale",
            "--discount-seconds",
            "0.5",
            "--steps",
            "5000",
            "--out",
            "x");

    TrainingPlan plan = command.plan();

    assertThat(plan.estimators().rateScales()).isEqualTo(1);
    assertThat(plan.ppo().discountSeconds()).isEqualTo(0.5);
    assertThat(plan.workloads()).hasSize(7);
  }

  @Test
  void aWarmUpBecomesThePlansCurriculum() {
    TrainCommand command = new TrainCommand();
    new CommandLine(command)
        .parseArgs(
            "--warm-up-workload",
            "poisson:rate=275",
            "--warm-up-steps",
            "1600",
            "--scenario",
            "train-wide",
            "--steps",
            "5000",
            "--out",
            "x");

    TrainingPlan plan = command.plan();

    assertThat(plan.warmUp().workloads())
        .extracting(w -> w.toSpec())
        .containsExactly("poisson:rate=275");
    assertThat(plan.warmUp().steps()).isEqualTo(1600);
    // per environment: 16 environments share the warm-up's steps
    assertThat(plan.environmentConfig().warmUp().steps()).isEqualTo(100);
    assertThat(plan.describeWorkloads()).startsWith("poisson:rate=275 for 1600 steps, then ");
    assertThat(
            cli.run(
                "train",
                "--warm-up-steps",
                "10",
                "--workload",
                "poisson:rate=3",
                "--steps",
                "10",
                "--out",
                "x"))
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("go together");
  }

  @Test
  void trainRejectsABadWorkloadAndBothDisturbanceForms() {
    assertThat(cli.run("train", "--workload", "zipf:rate=3", "--steps", "10", "--out", "x"))
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("zipf");
    assertThat(
            cli.run(
                "train",
                "--workload",
                "poisson:rate=3",
                "--disturb",
                "slowdown:server=0,factor=2,at=1,for=1",
                "--random-slowdowns",
                "--steps",
                "10",
                "--out",
                "x"))
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("not both");
  }

  @Test
  void trainNeedsAStepBudget() {
    assertThat(cli.run("train", "--workload", "poisson:rate=3", "--out", "x")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("Missing required option: '--steps=N'");
  }

  @Test
  void evaluateOptionsBecomeThePlan() {
    EvaluateCommand command = new EvaluateCommand();
    new CommandLine(command)
        .parseArgs(
            "--workload",
            "poisson:rate=300",
            "--disturb",
            "slowdown:server=1,factor=3,at=20,for=20,every=60",
            "--policies",
            "largest,learned,out/p.onnx",
            "--seeds",
            "4",
            "--seconds",
            "30");

    EvaluationPlan plan = command.plan();

    assertThat(plan.policies()).containsExactly("largest", "learned", "out/p.onnx");
    assertThat(plan.seeds()).isEqualTo(4);
    assertThat(plan.seconds()).isEqualTo(30);
    assertThat(plan.threads()).isEqualTo(2);
    assertThat(plan.disturbances().isEmpty()).isFalse();
    assertThat(plan.shippedPolicies()).isEqualTo(Path.of("deploy/policies"));
  }

  @Test
  void evaluateWritesResultsTableAndPlot(@TempDir Path dir) throws Exception {
    int code =
        cli.run(
            "evaluate",
            "--workload",
            "poisson:rate=300",
            "--policies",
            "smallest,largest",
            "--seeds",
            "2",
            "--seconds",
            "2",
            "--out",
            dir.toString());

    assertThat(code).as(cli.err.toString()).isZero();
    assertThat(cli.out.toString()).contains("| smallest |", "| largest |");
    JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
    assertThat(json.at("/policies/smallest/effective_accuracy/mean").asDouble())
        .isBetween(0.0, 1.0);
    assertThat(json.get("load_average").isNumber() || json.get("load_average").isNull()).isTrue();
    assertThat(dir.resolve("results.md")).exists();
    assertThat(dir.resolve("effective-accuracy.png")).exists();
  }

  @Test
  void evaluateNamesAMissingShippedPolicy(@TempDir Path dir) {
    int code =
        cli.run(
            "evaluate",
            "--workload",
            "poisson:rate=300",
            "--policies",
            "largest,learned",
            "--shipped-policies",
            dir.toString(),
            "--out",
            dir.toString());

    assertThat(code).isEqualTo(1);
    assertThat(cli.err.toString()).contains("default.onnx").doesNotContain("\tat ");
  }

  @Test
  void trainWritesPolicyCurveAndSummary(@TempDir Path dir) throws Exception {
    int code =
        cli.run(
            "train",
            "--workload",
            "poisson:rate=300;mmpp:rates=200/700,dwell=2/1",
            "--episode-seconds",
            "3",
            "--steps",
            "100",
            "--out",
            dir.toString());

    assertThat(code).as(cli.err.toString()).isZero();
    assertThat(dir.resolve("policy.onnx")).exists();
    assertThat(dir.resolve("learning-curve.png")).exists();
    JsonNode summary = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    assertThat(summary.at("/plan/workloads").size()).isEqualTo(2);
    assertThat(summary.at("/figures/environment_steps").asLong()).isGreaterThanOrEqualTo(100);
    assertThat(summary.at("/figures/steps_per_second").asDouble()).isPositive();
    assertThat(summary.at("/figures/last_effective_accuracy").asDouble()).isBetween(0.0, 1.0);
    assertThat(List.of("spec_hash", "load_average", "variants")).allMatch(summary::has);
  }

  @Test
  void trainWithCandidatesKeepsOneAndSaysWhich(@TempDir Path dir) throws Exception {
    int code =
        cli.run(
            "train",
            "--workload",
            "poisson:rate=200",
            "--episode-seconds",
            "3",
            "--steps",
            "100",
            "--candidates",
            "2",
            "--seed",
            "3",
            "--out",
            dir.toString());

    assertThat(code).as(cli.err.toString()).isZero();
    assertThat(dir.resolve("candidates/seed-3.onnx")).exists();
    assertThat(dir.resolve("candidates/seed-4.onnx")).exists();
    assertThat(dir.resolve("policy.onnx")).exists();
    assertThat(cli.out.toString())
        .contains("seed 3: ", "seed 4: ", "on the training workloads")
        .containsOnlyOnce("<- kept");
  }

  @Test
  void fineTuningWithAPrivilegedCriticRecordsInitAndCriticOnlyFeatures(@TempDir Path dir)
      throws Exception {
    Path first = dir.resolve("first");
    Path second = dir.resolve("second");
    String[] common = {
      "train",
      "--workload",
      "poisson:rate=300",
      "--episode-seconds",
      "3",
      "--steps",
      "100",
      "--privileged-critic"
    };
    assertThat(cli.run(concat(common, "--out", first.toString()))).as(cli.err.toString()).isZero();

    int code =
        cli.run(
            concat(
                common,
                "--init",
                first.resolve("policy.onnx").toString(),
                "--critic-steps",
                "100",
                "--out",
                second.toString()));

    assertThat(code).as(cli.err.toString()).isZero();
    JsonNode summary = new ObjectMapper().readTree(second.resolve("summary.json").toFile());
    assertThat(summary.at("/plan/init").asText()).endsWith("policy.onnx");
    assertThat(summary.at("/plan/critic_steps").asLong()).isEqualTo(100);
    // the next second's arrivals and each of the two servers' slow-down
    assertThat(summary.at("/plan/ppo/critic_only_features").asInt()).isEqualTo(3);
    JsonNode fresh = new ObjectMapper().readTree(first.resolve("summary.json").toFile());
    assertThat(fresh.at("/plan/init").isNull()).isTrue();
    // the fine-tuned actor still has the job's observation spec
    assertThat(summary.at("/spec_hash").asText()).isEqualTo(fresh.at("/spec_hash").asText());
  }

  private static String[] concat(String[] head, String... tail) {
    String[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }
}
