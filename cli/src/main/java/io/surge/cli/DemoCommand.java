package io.surge.cli;

import io.surge.cli.demo.Demo;
import io.surge.cli.demo.DemoSettings;
import io.surge.cli.demo.DriftOptions;
import io.surge.policy.onnx.ShippedPolicies;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.train.online.LearnerSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code surge demo}: the whole system embedded on this machine, policies compared on one load. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs everything embedded and compares scheduling policies under a bursty load.",
      "Generates the model ladder, starts inference servers on it and profiles the real models,"
          + " then (by default) replaces them with emulated accelerators holding each batch for"
          + " that profile slowed by a factor, starts a Kafka broker, then for each policy runs"
          + " the scheduling job on a local Flink MiniCluster under the same bursty load, with"
          + " progress every few seconds. Prints a summary table and writes OUT/report.md with"
          + " plots and OUT/summary.json. Ctrl-C stops it cleanly."
    })
final class DemoCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--duration",
      defaultValue = "40s",
      converter = DurationConverter.class,
      description = "Measured load per policy, e.g. 60s, 2m (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--keep-running",
      description =
          "After the summary keep the broker and its topics up (until Ctrl-C) and print the"
              + " surge sql / surge report commands for each policy's results.")
  boolean keepRunning;

  @Option(
      names = "--policies",
      split = ",",
      defaultValue = "largest,smallest,greedy-slo,learned",
      description =
          "Policies to compare: largest, smallest, greedy-slo, threshold, proteus-like,"
              + " fixed:VARIANT (one variant always, e.g. fixed:resnet50-like), learned (the"
              + " shipped policy), or a policy .onnx file"
              + " (default: ${DEFAULT-VALUE}).")
  List<String> policies;

  @Option(
      names = "--workload",
      paramLabel = "SPEC",
      description =
          "Workload spec, e.g. mmpp:rates=100/600,dwell=10/5 or"
              + " trace:deploy/data/azure-llm-inference-conv-2023.csv,rate=200 (default: an MMPP"
              + " calibrated from the profile: on emulated devices calm phases well inside the"
              + " largest variant's batched capacity, bursts above it and inside the smallest's;"
              + " see the report).")
  String workload;

  @Option(
      names = "--device",
      defaultValue = "emulated",
      description =
          "emulated = each server is an emulated accelerator holding every batch for the real"
              + " models' profiled compute time, slowed by --emulation-scale, off the CPU; cpu ="
              + " real ONNX Runtime compute on this machine's cores (default: ${DEFAULT-VALUE}).")
  ServeCommand.Device device;

  @Option(
      names = "--emulation-scale",
      paramLabel = "K",
      description =
          "Slow-down of the emulated devices over the measured compute (default: chosen so that"
              + " the calibrated bursts stay within 25 %% of what the job carries).")
  Double emulationScale;

  @Option(
      names = "--repeat",
      defaultValue = "1",
      paramLabel = "N",
      description =
          "Runs of every policy, in alternating order (seed + run); with N >= 2 the summary gives"
              + " means and 95 %% confidence intervals (default: ${DEFAULT-VALUE}).")
  int repeat;

  @Option(
      names = "--servers",
      defaultValue = "2",
      description = "Embedded inference servers (default: ${DEFAULT-VALUE}).")
  int servers;

  @Option(
      names = "--scale",
      defaultValue = "1.0",
      description =
          "Model ladder width scale; 1 = the calibrated ladder (default: ${DEFAULT-VALUE}).")
  double scale;

  @Option(
      names = "--out",
      defaultValue = "out/demo",
      paramLabel = "DIR",
      description = "Report, plots, catalog and profile (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--deadline-ms",
      defaultValue = "100",
      description = "Latency SLO of every request (default: ${DEFAULT-VALUE}).")
  int deadlineMs;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the workload (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--payload",
      description =
          "Send a random input tensor with every request (default: the server makes one).")
  boolean payload;

  @Option(
      names = "--drift",
      paramLabel = "SPEC",
      description =
          "Drift scenario: the shipped policy (or the one policy model given by --policies)"
              + " alone, this disturbance on the emulated servers"
              + " (times from the start of the measured load; without for= it lasts for good,"
              + " e.g. slowdown:server=1,factor=3,at=60), and the online learner beside the job,"
              + " publishing a better policy when its guard finds one. Give a --duration of"
              + " several minutes.")
  String drift;

  @Option(
      names = "--learn-every",
      defaultValue = "60",
      paramLabel = "SECONDS",
      description =
          "With --drift: seconds between the learner's cycles (default: ${DEFAULT-VALUE})")
  double learnEvery;

  @Override
  public Integer call() throws Exception {
    DemoSettings settings = settings();
    DriftOptions driftOptions = driftOptions();
    if (driftOptions != null) {
      settings = settings.withPolicies(List.of(driftStart())).withRepeat(1);
    }
    PrintWriter w = spec.commandLine().getOut();
    Demo demo =
        new Demo(
            settings,
            driftOptions,
            line -> {
              w.println(line);
              w.flush();
            });
    // Ctrl-C: stop the load and the job, then the servers and the broker
    Thread hook =
        new Thread(
            () -> {
              w.println("surge demo: stopping");
              w.flush();
              demo.abort();
              demo.close();
            },
            "surge-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      demo.run();
      if (keepRunning) {
        keepRunning(demo, w);
      }
      return 0;
    } finally {
      removeHook(hook);
      demo.close();
    }
  }

  /** Prints how to query each run's results, then waits for Ctrl-C (the hook closes the demo). */
  private static void keepRunning(Demo demo, PrintWriter w) throws InterruptedException {
    String bootstrap = demo.bootstrapServers();
    w.println();
    w.println("Kafka stays up at " + bootstrap + " until Ctrl-C. Each policy's results:");
    demo.topicPrefixes()
        .forEach(
            (policy, prefix) -> {
              w.println("  " + policy + ":");
              w.println(
                  "    ./surge sql --bootstrap "
                      + bootstrap
                      + " --topic-prefix "
                      + prefix
                      + " --queries");
              w.println(
                  "    ./surge report --bootstrap "
                      + bootstrap
                      + " --topic-prefix "
                      + prefix
                      + " --out out/report-"
                      + policy.replaceAll("[^A-Za-z0-9]+", "_"));
            });
    w.flush();
    new java.util.concurrent.CountDownLatch(1).await();
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs
    }
  }

  /** The drift scenario's policy: the shipped one, or the one policy model --policies names. */
  private String driftStart() {
    if (!spec.commandLine().getParseResult().hasMatchedOption("--policies")) {
      return ShippedPolicies.LEARNED;
    }
    if (policies.size() != 1
        || !(policies.get(0).equals(ShippedPolicies.LEARNED)
            || policies.get(0).endsWith(".onnx"))) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--drift starts from one policy model: --policies learned or --policies FILE.onnx, not "
              + String.join(",", policies));
    }
    return policies.get(0);
  }

  private DriftOptions driftOptions() {
    if (drift == null) {
      return null;
    }
    if (device != ServeCommand.Device.emulated) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--drift needs emulated devices (--device emulated)");
    }
    try {
      return new DriftOptions(
          DisturbanceSpec.parse(drift),
          Duration.ofMillis(Math.round(learnEvery * 1000)),
          LearnerSettings.defaults());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--drift: " + e.getMessage());
    }
  }

  private DemoSettings settings() {
    try {
      return DemoSettings.defaults()
          .withDuration(duration)
          .withPolicies(policies)
          .withWorkload(workload)
          .withServers(servers)
          .withScale(scale)
          .withOut(out)
          .withDeadlineMs(deadlineMs)
          .withSeed(seed)
          .withPayload(payload)
          .withEmulated(device == ServeCommand.Device.emulated)
          .withEmulationScale(emulationScale == null ? 0 : emulationScale)
          .withRepeat(repeat);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
