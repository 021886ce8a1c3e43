package io.surge.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.policy.onnx.ShippedPolicies;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.sim.engine.Calibration;
import io.surge.train.online.TinyLearnerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code surge demo --drift} small, on the real broker, MiniCluster job and emulated servers:
 * edge-1 slows 3x for good 5 s into the load while the online learner (tiny budgets) cycles beside
 * the job on its experience and completions topics. At least one cycle ends with a candidate
 * published through the policies topic or rejected by the guard with its reason, and every measured
 * request still ends in exactly one result.
 */
class DemoDriftITCase {

  @Test
  void theLearnerCyclesBesideTheJobAndNoRequestIsLostOrDuplicated(@TempDir Path dir)
      throws Exception {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    // a chosen policy model, not the shipped one by name: the job and the learner start from it
    Path start = dir.resolve("start.onnx");
    Files.write(start, ShippedPolicies.read(ShippedPolicies.LEARNED));
    DemoSettings settings =
        DemoSettings.defaults()
            .withDuration(Duration.ofSeconds(40))
            .withPolicies(List.of(start.toString()))
            .withWorkload("poisson:rate=60")
            .withScale(0.05)
            .withProfileRuns(3)
            .withRepeat(1)
            .withOut(dir.resolve("out"));
    DriftOptions drift =
        new DriftOptions(
            DisturbanceSpec.parse("slowdown:server=1,factor=3,at=5"),
            Duration.ofSeconds(12),
            TinyLearnerSettings.of(300));

    DemoResult result;
    try (Demo demo = new Demo(settings, drift, lines::add)) {
      result = demo.run();
    }

    String log = String.join("\n", lines);
    assertThat(log).contains("drift scenario: policy " + start);
    PolicyResult run = result.policies().get(0);
    assertThat(run.drained()).as("all results in; log:%n%s", log).isTrue();
    assertThat(run.sent().failed()).isZero();
    assertThat(run.sent().valid()).isPositive();
    assertThat(run.results()).isEqualTo(run.sent().valid());
    assertThat(run.tallies().duplicates()).isZero();
    Matcher cycle =
        Pattern.compile("\\[drift] [+-]\\d+ s from the drift: cycle \\d+ (PUBLISHED|REJECTED)")
            .matcher(log);
    assertThat(cycle.find()).as("a cycle that trained and was judged; log:%n%s", log).isTrue();
    // the live factors' compute times come from the servers' statistics, read beside the job
    assertThat(log).containsPattern("servers: edge-0 read, [0-9]+ executions in the last read");
    String report = Files.readString(settings.out().resolve("drift.md"));
    assertThat(report).contains("slowdown:server=1,factor=3,at=5", "| 1 |");
    // the site before the drift, as a plain run writes it, for surge evaluate and surge train
    assertThat(Calibration.read(settings.out().resolve("calibration.json")).profile()).isNotNull();
  }
}
