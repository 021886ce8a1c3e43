package io.surge.serving.ladder;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Manual runs of the ladder (the {@code surge} command line wires its own command):
 *
 * <pre>
 * LadderMain OUT_DIR [scale] [--calibrate] [--bench] [--threads N]
 * </pre>
 *
 * generates the ladder into OUT_DIR (optionally calibrating depths on this machine first) and with
 * {@code --bench} prints each variant's batch-1 latency, its ratio to the smallest against the
 * reference ratio, and the per-request batch curve of the middle variant.
 */
public final class LadderMain {

  private static final int[] CURVE = {1, 2, 4, 8, 16};
  private static final double TARGET_SMALLEST_MS = 2.5;

  private LadderMain() {}

  private static final String USAGE =
      "usage: LadderMain OUT_DIR [scale] [--calibrate] [--bench] [--threads N]";

  public static void main(String[] args) {
    try {
      run(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
    }
  }

  private static void run(String[] args) {
    if (args.length == 0) {
      throw new IllegalArgumentException("missing OUT_DIR");
    }
    Path out = Path.of(args[0]);
    List<String> rest = List.of(args).subList(1, args.length);
    double scale =
        rest.isEmpty() || rest.get(0).startsWith("--") ? 1.0 : number(rest.get(0), "scale");
    int threads =
        rest.contains("--threads") && rest.indexOf("--threads") + 1 < rest.size()
            ? (int) number(rest.get(rest.indexOf("--threads") + 1), "--threads")
            : 1;
    DirectOrtBenchmark.Settings settings =
        new DirectOrtBenchmark.Settings(5, 30, 300, 2000, threads);
    LadderOptions options = LadderOptions.defaults().withScale(scale);
    if (rest.contains("--calibrate")) {
      LadderTable calibrated = options.table();
      for (int i = 0; i < 2; i++) {
        LadderCalibrator.Step step =
            LadderCalibrator.step(calibrated, TARGET_SMALLEST_MS, settings);
        System.out.printf(
            Locale.ROOT,
            "calibration: depths %s cpu %s ms -> a=%.3f ms b=%.4f ms/block%n",
            step.depths(),
            step.cpuMs().stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList(),
            step.cost().fixedMs(),
            step.cost().perBlockMs());
        calibrated = step.next();
      }
      System.out.println(
          "calibrated depths: " + calibrated.rungs().stream().map(LadderRung::depth).toList());
      options = options.withTable(calibrated);
    }
    GeneratedLadder ladder = ModelLadder.generate(out, options);
    for (GeneratedLadder.Model m : ladder.models()) {
      System.out.printf(
          Locale.ROOT,
          "%-16s %6.2f%% %8.1f MB  %s%n",
          m.name(),
          m.accuracy(),
          m.modelBytes() / 1e6,
          m.architecture());
    }
    System.out.printf(
        Locale.ROOT,
        "total %.1f MB, catalog %s%n",
        ladder.totalModelBytes() / 1e6,
        ladder.catalogFile());
    if (rest.contains("--bench")) {
      bench(ladder, options.table(), settings);
    }
  }

  private static double number(String text, String what) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a number, got '" + text + "'");
    }
  }

  private static void bench(
      GeneratedLadder ladder, LadderTable table, DirectOrtBenchmark.Settings settings) {
    List<DirectOrtBenchmark.BatchLatency> batch1 =
        DirectOrtBenchmark.compareModels(
            ladder.models().stream().map(GeneratedLadder.Model::modelFile).toList(), settings, 1);
    DirectOrtBenchmark.BatchLatency first = batch1.get(0);
    for (int i = 0; i < ladder.models().size(); i++) {
      DirectOrtBenchmark.BatchLatency b1 = batch1.get(i);
      double ratio = b1.medianMs() / first.medianMs();
      double cpuRatio = b1.cpuMedianMs() / first.cpuMedianMs();
      double reference = table.referenceRatio(i);
      System.out.printf(
          Locale.ROOT,
          "%-16s batch1 wall median %6.3f ms (p95 %6.3f)  ratio %.2f (%+4.0f%%) | cpu median %6.3f"
              + " ms  ratio %.2f (%+4.0f%%) | reference %.2f%n",
          ladder.models().get(i).name(),
          b1.medianMs(),
          b1.p95Ms(),
          ratio,
          100 * (ratio / reference - 1),
          b1.cpuMedianMs(),
          cpuRatio,
          100 * (cpuRatio / reference - 1),
          reference);
    }
    GeneratedLadder.Model middle = ladder.models().get(ladder.models().size() / 2);
    System.out.println("batch curve of " + middle.name() + " (interleaved batch sizes):");
    List<DirectOrtBenchmark.BatchLatency> curve =
        DirectOrtBenchmark.measure(middle.modelFile(), settings, CURVE);
    for (DirectOrtBenchmark.BatchLatency b : curve) {
      System.out.printf(
          Locale.ROOT,
          "  batch %2d  wall median %7.3f ms (p95 %7.3f)  per request %6.3f ms  gain %.1fx |"
              + " cpu per request %6.3f ms  gain %.1fx%n",
          b.batch(),
          b.medianMs(),
          b.p95Ms(),
          b.perRequestMs(),
          curve.get(0).perRequestMs() / b.perRequestMs(),
          b.cpuMedianMs() / b.batch(),
          curve.get(0).cpuMedianMs() / (b.cpuMedianMs() / b.batch()));
    }
  }
}
