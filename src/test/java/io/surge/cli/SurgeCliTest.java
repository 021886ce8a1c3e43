package io.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The serving subcommands: help everywhere, clear errors for bad options. */
class SurgeCliTest {

  private final CliRun cli = new CliRun();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "models",
        "models generate",
        "serve",
        "profile",
        "bench",
        "bench serving",
        "train",
        "distil",
        "evaluate",
        "sql",
        "load",
        "demo",
        "chaos",
        "publish",
        "policies",
        "learn"
      })
  void helpOfEverySubcommandExitsZero(String command) {
    String[] args = (command + " --help").split(" ");

    assertThat(cli.run(args)).isZero();
    assertThat(cli.out.toString()).startsWith("Usage: surge " + command);
  }

  @Test
  void rootHelpListsTheServingCommands() {
    assertThat(cli.run("--help")).isZero();
    assertThat(cli.out.toString()).contains("models", "serve", "profile", "bench");
  }

  @ParameterizedTest
  @ValueSource(strings = {"60s", "1m", "60", "PT60S", "60000ms"})
  void loadAndDemoTakeOneDurationFormat(String duration) {
    picocli.CommandLine root = SurgeCli.commandLine();
    root.parseArgs(
        "load",
        "--bootstrap",
        "b",
        "--catalog",
        "c.yaml",
        "--workload",
        "poisson:rate=1",
        "--duration",
        duration);
    LoadCommand load = root.getSubcommands().get("load").getCommand();
    assertThat(load.duration).isEqualTo(java.time.Duration.ofSeconds(60));
    root = SurgeCli.commandLine();
    root.parseArgs("demo", "--duration", duration);
    DemoCommand demo = root.getSubcommands().get("demo").getCommand();
    assertThat(demo.duration).isEqualTo(java.time.Duration.ofSeconds(60));
  }

  @Test
  void theDriftScenarioStartsFromOnePolicyModel() {
    assertThat(
            cli.run(
                "demo", "--drift", "slowdown:server=1,factor=3,at=60", "--policies", "greedy-slo"))
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("--drift starts from one policy model");
  }

  @Test
  void aBadDurationIsOneClearUsageError() {
    assertThat(
            cli.run(
                "load",
                "--bootstrap",
                "b",
                "--catalog",
                "c",
                "--workload",
                "w",
                "--duration",
                "soon"))
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("'soon' is not a duration");
  }

  @Test
  void sqlNeedsExactlyOneSource() {
    assertThat(cli.run("sql", "--bootstrap", "b")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--execute", "--file", "--queries");
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertThat(cli.run("models", "generate", "--out", "x", "--bogus")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("Unknown option: '--bogus'");
  }

  @Test
  void missingRequiredOptionIsNamed() {
    assertThat(cli.run("serve", "--port", "0")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("Missing required option: '--repository=DIR'");
  }

  @Test
  void nonNumericPortIsAUsageError() {
    assertThat(cli.run("serve", "--repository", "r", "--port", "eighty")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--port", "eighty");
  }

  @Test
  void scaleOutOfRangeIsAUsageError(@TempDir Path dir) {
    assertThat(cli.run("models", "generate", "--out", dir.toString(), "--scale", "9")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("scale must be in (0, 4], got 9.0");
  }

  @Test
  void badServerSpecIsAUsageError(@TempDir Path dir) {
    assertThat(cli.run("models", "generate", "--out", dir.toString(), "--server", "edge-0"))
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("server must be given as name=url");
  }

  @Test
  void profileNeedsAnHttpOrGrpcUrl() {
    assertThat(cli.run("profile", "--server", "ftp://host")).isEqualTo(2);
    assertThat(cli.err.toString())
        .contains("--server must be an http(s):// or grpc:// URL, got 'ftp://host'");
  }

  @Test
  void profileRejectsBatchZero() {
    assertThat(cli.run("profile", "--server", "http://127.0.0.1:1", "--batches", "1,0"))
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("batch sizes must be >= 1");
  }

  @Test
  void benchRejectsNonPositiveSeconds() {
    assertThat(cli.run("bench", "serving", "--seconds", "0")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--seconds must be in (0, 600]");
  }

  @Test
  void anEmulatedDeviceNeedsAProfile() {
    assertThat(cli.run("serve", "--repository", "r", "--port", "0", "--device", "emulated"))
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("--device emulated needs --profile FILE");
  }

  @Test
  void disturbancesNeedAnEmulatedDevice() {
    assertThat(
            cli.run(
                "serve",
                "--repository",
                "r",
                "--port",
                "0",
                "--disturb",
                "outage:server=0,at=1,for=1"))
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("need --device emulated");
  }

  @Test
  void serveOnAMissingRepositoryFailsWithOneLine(@TempDir Path dir) {
    Path missing = dir.resolve("nothing-here");

    assertThat(cli.run("serve", "--repository", missing.toString(), "--port", "0")).isEqualTo(1);
    assertThat(cli.err.toString())
        .startsWith("surge serve: error: model repository " + missing + " is not a directory")
        .doesNotContain("\tat ");
  }

  @Test
  void generateWritesTheLadderAndSaysWhere(@TempDir Path dir) {
    assertThat(cli.run("models", "generate", "--out", dir.toString(), "--scale", "0.05")).isZero();

    assertThat(cli.out.toString()).contains("wrote 5 models", "resnet50-like", "catalog.yaml");
    assertThat(dir.resolve("catalog.yaml")).exists();
    assertThat(Files.exists(dir.resolve("resnet18-like/1/model.onnx"))).isTrue();
  }
}
