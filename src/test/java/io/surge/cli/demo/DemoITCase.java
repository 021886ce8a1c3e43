package io.surge.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The demo's orchestration end to end, small: tiny models, one policy, a few seconds of load. Every
 * measured request ends in exactly one result, the figures are sane, and the report and plots are
 * written.
 */
class DemoITCase {

  @Test
  void runsThePolicyAndWritesTheReport(@TempDir Path dir) throws Exception {
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    DemoSettings settings =
        DemoSettings.defaults()
            .withDuration(Duration.ofSeconds(5))
            .withPolicies(List.of("greedy-slo"))
            .withWorkload("poisson:rate=40")
            .withScale(0.05)
            .withProfileRuns(3)
            .withOut(dir.resolve("out"));

    DemoResult result;
    try (Demo demo = new Demo(settings, lines::add)) {
      result = demo.run();
    }

    assertThat(result.policies()).hasSize(1);
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
    assertThat(report).contains("| greedy-slo |", "poisson:rate=40", "accuracy-slo.png");
    for (String file :
        List.of(
            "accuracy-slo.png",
            "variant-mix.png",
            "timeline.png",
            "profile.json",
            "catalog.yaml")) {
      assertThat(out.resolve(file)).isNotEmptyFile();
    }
    assertThat(String.join("\n", lines)).contains("summary", "greedy-slo");
  }
}
