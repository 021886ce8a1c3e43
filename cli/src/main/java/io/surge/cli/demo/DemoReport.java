package io.surge.cli.demo;

import io.surge.state.catalog.Catalog;
import io.surge.state.catalog.LatencyProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** Writes {@code report.md}: settings, workload, profile, the summary table, counts and plots. */
final class DemoReport {

  static final String FILE = "report.md";

  private DemoReport() {}

  static Path write(DemoResult result, List<String> plots) {
    Path file = result.settings().out().resolve(FILE);
    try {
      Files.writeString(file, markdown(result, plots));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static String markdown(DemoResult r, List<String> plots) {
    DemoSettings s = r.settings();
    StringBuilder md = new StringBuilder();
    md.append("# Surge demo report\n\n");
    md.append("Written ").append(Instant.now()).append(" by `surge demo`.\n\n");
    md.append("## Settings\n\n");
    md.append("| setting | value |\n|---|---|\n");
    row(md, "policies", String.join(", ", s.policies()));
    row(md, "measured load per policy", s.duration().toSeconds() + " s");
    row(
        md,
        "runs",
        s.repeat()
            + (s.repeat() > 1
                ? " (policies in the given order on odd runs, reversed on even ones; run r uses"
                    + " seed "
                    + s.seed()
                    + " + r - 1 for every policy)"
                : ""));
    row(md, "devices", r.deviceNote());
    row(md, "servers", s.servers() + " embedded KServe v2 servers (one execution at a time each)");
    row(md, "ladder", "scale " + s.scale() + ", " + variantList(r.catalog()));
    row(md, "deadline (SLO)", s.deadlineMs() + " ms");
    row(md, "payload", s.payload() ? "random input tensor per request" : "none (server input)");
    row(md, "seed", String.valueOf(s.seed()));
    row(md, "checkpoint interval", s.checkpointInterval().toMillis() + " ms");
    row(md, "machine", Runtime.getRuntime().availableProcessors() + " cores");
    md.append("\n## Workload\n\n`").append(r.workload().toSpec()).append("`  \n");
    md.append(String.format(Locale.ROOT, "mean rate %.1f req/s; ", r.workload().meanRate()));
    md.append(r.workloadNote()).append("\n\n");
    md.append(
        "## Latency profile the scheduler uses (median ms over KServe v2, one request in"
            + " flight)\n\n");
    md.append(profileTable(r.profile(), r.catalog()));
    md.append("\n## Results\n\n");
    md.append(
        "Over "
            + r.runs().size()
            + (r.runs().size() == 1
                ? " run (run with `--repeat N` for confidence intervals):\n\n"
                : " runs (mean and half-width of the 95 % confidence interval, Student t over"
                    + " runs; `summary.json` has the same figures as fractions):\n\n"));
    md.append(RepeatedRuns.markdown(r.runs()));
    for (int run = 0; run < r.runs().size(); run++) {
      md.append("\n### Run ").append(run + 1).append("\n\n");
      md.append(SummaryTable.markdown(r.runs().get(run)));
    }
    md.append(
        "\nEffective accuracy = mean reward per request: the variant's top-1 accuracy (%) when"
            + " the answer is on time, 0 when late, failed or shed. SLO attainment = share of"
            + " requests answered on time. Latency percentiles are over answered requests"
            + " (end to end: from the request's creation through Kafka, Flink and the server).\n\n");
    md.append(
        "| policy | sent | results | duplicates | all results in | creation to decision p50 / p99"
            + " ms |\n|---|---:|---:|---:|---|---:|\n");
    for (PolicyResult p : r.policies()) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %d | %s | %.0f / %.0f |%n",
              p.policy(),
              p.expectedResults(),
              p.results(),
              p.tallies().duplicates(),
              p.drained() ? "yes" : "no (drain timeout)",
              p.decisionDelay().percentile(0.5),
              p.decisionDelay().percentile(0.99)));
    }
    if (r.simToReal() != null) {
      md.append("\n## Simulator vs real job\n\n");
      md.append(
          "The same scenario in the simulator: the emulated devices' execution times, the same"
              + " workload, seeds (one per run), seconds and policies (a learned policy in its"
              + " argmax mode, as the job serves it); effective accuracy, mean ± 95 % CI over"
              + " seeds / runs.\n\n");
      md.append(r.simToReal());
    }
    md.append("\n## Plots\n\n");
    md.append("`accuracy-slo-ci.png` is over all runs; the other plots show run 1.\n\n");
    for (String plot : plots) {
      md.append("![").append(plot).append("](").append(plot).append(")\n\n");
    }
    md.append(
        "Figures come from runs on a real broker, Flink MiniCluster and inference servers"
            + " sharing this machine: on a busy machine latencies, and with them the numbers,"
            + " vary from run to run.\n");
    return md.toString();
  }

  private static String variantList(Catalog catalog) {
    StringBuilder sb = new StringBuilder();
    for (Catalog.Variant v : catalog.services().get(0).variants()) {
      sb.append(sb.isEmpty() ? "" : ", ")
          .append(v.name())
          .append(String.format(Locale.ROOT, " (%.2f %%)", v.accuracy()));
    }
    return sb.toString();
  }

  private static String profileTable(LatencyProfile profile, Catalog catalog) {
    String server = catalog.servers().get(0).name();
    StringBuilder md = new StringBuilder("| variant |");
    for (int b : ServerProfiling.BATCHES) {
      md.append(" batch ").append(b).append(" |");
    }
    md.append("\n|---|").append("---:|".repeat(ServerProfiling.BATCHES.size())).append('\n');
    for (Catalog.Variant v : catalog.services().get(0).variants()) {
      md.append("| ").append(v.name()).append(" |");
      for (int b : ServerProfiling.BATCHES) {
        md.append(String.format(Locale.ROOT, " %.1f |", profile.medianMs(server, v.model(), b)));
      }
      md.append('\n');
    }
    return md.toString();
  }

  private static void row(StringBuilder md, String key, String value) {
    md.append("| ").append(key).append(" | ").append(value).append(" |\n");
  }
}
