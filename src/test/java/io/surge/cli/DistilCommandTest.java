package io.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surge.train.export.PolicyModelReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code surge distil}: experts parsed, a student written with its rounds. */
class DistilCommandTest {

  private final CliRun cli = new CliRun();

  @Test
  void writesTheStudentAndOneSummaryRowPerRound(@TempDir Path out) throws Exception {
    int code =
        cli.run(
            "distil",
            "--expert",
            "largest=poisson:rate=60",
            "--expert",
            "smallest=poisson:rate=900",
            "--rounds",
            "1",
            "--episodes",
            "1",
            "--episode-seconds",
            "3",
            "--epochs",
            "2",
            "--out",
            out.toString());

    assertThat(code).as(cli.err.toString()).isZero();
    assertThat(cli.out.toString()).contains("round 0:", "round 1:", "final student:");
    PolicyModelReader.Actor student = PolicyModelReader.read(out.resolve("policy.onnx"));
    assertThat(student.parameters()).isNotEmpty();
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("trained_on").asText())
        .isEqualTo("distilled from largest on poisson:rate=60; smallest on poisson:rate=900");
    assertThat(summary.get("rounds")).hasSize(3);
    assertThat(summary.get("rounds").get(2).get("round").asText()).isEqualTo("final");
    assertThat(summary.get("rounds").get(0).get("agreement").get("largest").asDouble())
        .isEqualTo(1.0);
  }

  @Test
  void anExpertWithoutWorkloadsOrOfAnUnknownPolicyIsAUsageError() {
    assertThat(cli.run("distil", "--expert", "largest", "--out", "x")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("POLICY=WORKLOADS");
    assertThat(cli.run("distil", "--expert", "nope=poisson:rate=60", "--out", "x")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("neither a baseline nor an existing model file");
  }
}
