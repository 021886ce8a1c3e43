package io.surge.cli.bench;

import io.surge.serving.ladder.DirectOrtBenchmark.BatchLatency;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The markdown block {@code surge bench serving} prints, ready to paste into a document. */
public final class ServingBenchmarkReport {

  /** Goal: server throughput at least this share of direct ONNX Runtime on the same batches. */
  public static final double SERVER_TO_DIRECT_GOAL = 0.8;

  /** Goal: dynamic batching at least this many times the throughput without it. */
  public static final double BATCHING_GAIN_GOAL = 2.0;

  private ServingBenchmarkReport() {}

  public static String markdown(ServingBenchmark.Result r) {
    StringBuilder out = new StringBuilder();
    summary(out, r);
    sweep(out, r);
    direct(out, r);
    curves(out, r);
    return out.toString();
  }

  private static void summary(StringBuilder out, ServingBenchmark.Result r) {
    LoadPoint best = r.best();
    line(out, "| %s | figure | goal | met |", r.model());
    line(out, "|---|---|---|---|");
    line(
        out,
        "| throughput stops rising at | %d clients (%.0f req/s, best %.0f req/s at %d) | | |",
        r.knee().clients(),
        r.knee().throughput(),
        best.throughput(),
        best.clients());
    line(
        out,
        "| server (batching on, %d clients) / direct ORT, same batches | %.0f / %.0f req/s = %.2f"
            + " | >= %.1f | %s |",
        best.clients(),
        best.throughput(),
        r.direct().directThroughput(),
        r.serverToDirect(),
        SERVER_TO_DIRECT_GOAL,
        yes(r.serverToDirect() >= SERVER_TO_DIRECT_GOAL));
    line(
        out,
        "| per CPU-second: execution thread / direct ORT | %.3f / %.3f ms per request = %.2f | | |",
        1000 * best.cores(ThreadCpu.EXECUTION) / best.throughput(),
        1000 / r.direct().directCpuThroughput(),
        r.cpuRatio(best.cores(ThreadCpu.EXECUTION)));
    line(
        out,
        "| per CPU-second: execution + server HTTP / direct ORT | %.3f / %.3f ms per request ="
            + " %.2f | | |",
        1000 * serverCores(best) / best.throughput(),
        1000 / r.direct().directCpuThroughput(),
        r.cpuRatio(serverCores(best)));
    line(
        out,
        "| per CPU-second: whole process (+ clients, GC, JIT) / direct ORT | %.3f / %.3f ms per"
            + " request = %.2f | | |",
        1000 * best.cpuCores() / best.throughput(),
        1000 / r.direct().directCpuThroughput(),
        r.cpuRatio(best.cpuCores()));
    line(
        out,
        "| batching on / off at %d clients | %.0f / %.0f req/s = %.2fx | >= %.0fx | %s |",
        r.batchingOn().clients(),
        r.batchingOn().throughput(),
        r.batchingOff().throughput(),
        r.batchingGain(),
        BATCHING_GAIN_GOAL,
        yes(r.batchingGain() >= BATCHING_GAIN_GOAL));
    line(
        out,
        "| batching on / off: median latency | %.2f / %.2f ms | | |",
        r.batchingOn().medianMs(),
        r.batchingOff().medianMs());
    out.append('\n');
  }

  private static void sweep(StringBuilder out, ServingBenchmark.Result r) {
    line(
        out,
        "| clients | req/s | median ms | p95 ms | mean batch | failures | execution busy |"
            + " CPU cores: process | execution thread | server HTTP | client HTTP | GC, JIT |");
    line(out, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (LoadPoint p : r.sweep()) {
      pointRow(out, Integer.toString(p.clients()), p);
    }
    pointRow(out, r.batchingOff().clients() + ", batching off", r.batchingOff());
    pointRow(out, r.batchingOn().clients() + ", on again", r.batchingOn());
    out.append('\n');
  }

  private static double serverCores(LoadPoint p) {
    return p.cores(ThreadCpu.EXECUTION) + p.cores(ThreadCpu.SERVER);
  }

  private static void pointRow(StringBuilder out, String clients, LoadPoint p) {
    line(
        out,
        "| %s | %.1f | %.2f | %.2f | %.2f | %d | %.0f %% | %.2f | %.2f | %.2f | %.2f | %.2f |",
        clients,
        p.throughput(),
        p.medianMs(),
        p.p95Ms(),
        p.batches().meanBatch(),
        p.failures(),
        100 * p.executionBusy(),
        p.cpuCores(),
        p.cores(ThreadCpu.EXECUTION),
        p.cores(ThreadCpu.SERVER),
        p.cores(ThreadCpu.CLIENT),
        p.cores(ThreadCpu.OTHER));
  }

  private static void direct(StringBuilder out, ServingBenchmark.Result r) {
    line(
        out,
        "| batch formed by the server | executions | direct ORT median ms | per request ms |"
            + " median CPU ms |");
    line(out, "|---:|---:|---:|---:|---:|");
    for (Map.Entry<Integer, BatchLatency> e : r.direct().latencies().entrySet()) {
      line(
          out,
          "| %d | %d | %.3f | %.3f | %.3f |",
          e.getKey(),
          r.direct().mix().executionsByBatch().get(e.getKey()),
          e.getValue().medianMs(),
          e.getValue().perRequestMs(),
          e.getValue().cpuMedianMs());
    }
    out.append('\n');
  }

  private static void curves(StringBuilder out, ServingBenchmark.Result r) {
    List<BatchLatency> any = r.curves().values().iterator().next();
    StringBuilder header = new StringBuilder("| model (direct ORT, ms per request) |");
    StringBuilder rule = new StringBuilder("|---|");
    for (BatchLatency b : any) {
      header.append(" batch ").append(b.batch()).append(" |");
      rule.append("---:|");
    }
    line(out, "%s gain %d vs 1 |", header, any.get(any.size() - 1).batch());
    line(out, "%s---:|", rule);
    for (Map.Entry<String, List<BatchLatency>> e : r.curves().entrySet()) {
      StringBuilder row = new StringBuilder("| " + e.getKey() + " |");
      for (BatchLatency b : e.getValue()) {
        row.append(String.format(Locale.ROOT, " %.3f |", b.perRequestMs()));
      }
      List<BatchLatency> curve = e.getValue();
      double gain = curve.get(0).perRequestMs() / curve.get(curve.size() - 1).perRequestMs();
      line(out, "%s %.1fx |", row, gain);
    }
  }

  private static String yes(boolean met) {
    return met ? "yes" : "no";
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
