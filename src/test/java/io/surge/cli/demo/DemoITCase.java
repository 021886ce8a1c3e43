package io.surge.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surge.state.metrics.Scoreboard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's orchestration end to end, small: tiny models profiled on ONNX Runtime, then emulated
 * devices (the default), one policy run twice, a few seconds of load each. Every measured request
 * ends in exactly one result, the figures are sane, and the report, plots and summary.json (in the
 * shape of {@code surge evaluate}'s results.json) are written.
 */
class DemoITCase {

  @Test
  void runsThePolicyAndWritesTheReport(@TempDir Path dir) throws Exception {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    DemoSettings settings =
        DemoSettings.defaults()
            .withDuration(Duration.ofSeconds(5))
            .withPolicies(List.of("greedy-slo", "fixed:resnet18-like"))
            .withWorkload("poisson:rate=40")
            .withScale(0.05)
            .withProfileRuns(3)
            .withRepeat(2)
            .withOut(dir.resolve("out"));
    assertThat(settings.emulated()).as("emulated devices by default").isTrue();

    DemoResult result;
    try (Demo demo = new Demo(settings, lines::add)) {
      result = demo.run();
    }

    assertThat(result.policies()).hasSize(2);
    assertThat(result.runs()).hasSize(2);
    for (List<PolicyResult> each : result.runs()) {
      for (PolicyResult p : each) {
        assertThat(p.results()).isEqualTo(p.sent().valid());
      }
    }
    PolicyResult fixed = result.policies().get(1);
    assertThat(fixed.policy()).isEqualTo("fixed:resnet18-like");
    assertThat(fixed.summary().variantMix()[0]).as("served by the one variant").isEqualTo(1.0);
    PolicyResult run = result.policies().get(0);
    assertThat(run.sent().failed()).isZero();
    assertThat(run.sent().valid()).isPositive();
    assertThat(run.drained()).as("all results in; log:%n%s", String.join("\n", lines)).isTrue();
    assertThat(run.results()).isEqualTo(run.sent().valid());
    assertThat(run.tallies().duplicates()).isZero();
    assertThat(run.tallies().undecodable()).isZero();

    Scoreboard.Summary s = run.summary();
    assertThat(s.requests()).isEqualTo(run.results());
    for (double rate :
        new double[] {s.sloAttainment(), s.shedRate(), s.lateRate(), s.failedRate()}) {
      assertThat(rate).isBetween(0.0, 1.0);
    }
    assertThat(s.sloAttainment() + s.shedRate() + s.lateRate() + s.failedRate())
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(s.effectiveAccuracy()).isBetween(0.0, 78.31);

    long binned = 0;
    for (int second = 0; second < run.timeline().seconds(); second++) {
      binned += run.timeline().arrivals(second);
    }
    assertThat(binned).isEqualTo(run.results());

    Path out = settings.out();
    assertThat(result.report()).isEqualTo(out.resolve("report.md"));
    String report = Files.readString(result.report());
    assertThat(report)
        .contains(
            "| greedy-slo |",
            "poisson:rate=40",
            "accuracy-slo.png",
            "Best fixed variant in hindsight",
            "Server batches during the measured loads");
    for (String file :
        List.of(
            "accuracy-slo.png",
            "variant-mix.png",
            "timeline.png",
            "variant-mix-timeline.png",
            "accuracy-slo-ci.png",
            "profile.json",
            "profile-cpu.json",
            "device-profile.json",
            "summary.json",
            "calibration.json",
            "catalog.yaml")) {
      assertThat(out.resolve(file)).isNotEmptyFile();
    }
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("device").asText()).isEqualTo("emulated");
    assertThat(summary.get("runs").asInt()).isEqualTo(2);
    JsonNode entry = summary.get("policies").get("greedy-slo");
    assertThat(entry.get("kind").asText()).isEqualTo("baseline");
    assertThat(entry.get("effective_accuracy").get("mean").asDouble()).isBetween(0.0, 0.7831);
    assertThat(entry.get("effective_accuracy").has("ci95")).isTrue();
    assertThat(entry.get("slo_attainment").get("mean").asDouble()).isBetween(0.0, 1.0);
    assertThat(entry.get("per_run_effective_accuracy")).hasSize(2);
    assertThat(entry.get("per_run_slo_attainment")).hasSize(2);
    assertThat(report)
        .contains(
            "emulated accelerators", "mean ± 95 % CI", "Simulator vs real job", "surge evaluate");
    assertThat(String.join("\n", lines)).contains("summary", "greedy-slo");
  }
}
