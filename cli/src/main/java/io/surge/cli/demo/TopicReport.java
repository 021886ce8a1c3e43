package io.surge.cli.demo;

import io.surge.cli.load.LoadCounts;
import io.surge.cli.results.CommittedTopic;
import io.surge.cli.results.ResultsReader;
import io.surge.schema.InferenceResult;
import io.surge.schema.wire.AvroWire;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code surge report}: the demo's summary table and plots for any results topic, one row per
 * policy version (which every result carries), from what the topic holds now (read_committed),
 * optionally only the requests created in {@code [from, to)}. Variants are ordered by the accuracy
 * the results carry, so no catalog is needed.
 */
public final class TopicReport {

  public static final String FILE = "report.md";

  private static final Duration READ_TIMEOUT = Duration.ofMinutes(10);

  /**
   * What to report on.
   *
   * @param service the service to report on; null = the one with the most results
   */
  public record Options(
      String bootstrap,
      Properties kafkaProperties,
      String topic,
      Instant from,
      Instant to,
      String service,
      Path out) {}

  /** What was written: the per-policy results, the report file, and what was read. */
  public record Written(
      List<PolicyResult> policies, Path report, long read, long inRange, long undecodable) {}

  private TopicReport() {}

  public static Written write(Options o) {
    List<InferenceResult> results = new ArrayList<>();
    AvroWire<InferenceResult> wire = AvroWire.of(InferenceResult.class);
    long[] undecodable = {0};
    long read =
        CommittedTopic.readToEnd(
            o.bootstrap(),
            o.kafkaProperties(),
            o.topic(),
            READ_TIMEOUT,
            record -> {
              try {
                InferenceResult r = ResultsReader.decode(wire, record);
                Instant created = r.getCreatedAt();
                if ((o.from() == null || !created.isBefore(o.from()))
                    && (o.to() == null || created.isBefore(o.to()))) {
                  results.add(r);
                }
              } catch (AvroWire.InvalidRecordException e) {
                undecodable[0]++;
              }
            });
    if (results.isEmpty()) {
      throw new IllegalArgumentException(
          "no results on " + o.topic() + (o.from() != null || o.to() != null ? " in range" : ""));
    }
    String service = o.service() != null ? o.service() : commonestService(results);
    List<InferenceResult> ofService =
        results.stream().filter(r -> r.getService().equals(service)).toList();
    if (ofService.isEmpty()) {
      throw new IllegalArgumentException("no results of service '" + service + "'");
    }
    List<PolicyResult> policies = perPolicyVersion(ofService);
    try {
      Files.createDirectories(o.out());
      List<String> plots = DemoCharts.write(o.out(), policies);
      Path file = o.out().resolve(FILE);
      Files.writeString(file, markdown(o, service, policies, plots, read, ofService.size()));
      return new Written(policies, file, read, ofService.size(), undecodable[0]);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + o.out(), e);
    }
  }

  private static String commonestService(List<InferenceResult> results) {
    return results.stream()
        .collect(Collectors.groupingBy(InferenceResult::getService, Collectors.counting()))
        .entrySet()
        .stream()
        .max(Map.Entry.comparingByValue())
        .orElseThrow()
        .getKey();
  }

  /** One {@link PolicyResult} per policy version, in version order. */
  static List<PolicyResult> perPolicyVersion(List<InferenceResult> results) {
    List<String> variants = variantsByAccuracy(results);
    Map<Long, List<InferenceResult>> byVersion =
        results.stream()
            .collect(
                Collectors.groupingBy(
                    InferenceResult::getPolicyVersion, TreeMap::new, Collectors.toList()));
    List<PolicyResult> policies = new ArrayList<>();
    for (Map.Entry<Long, List<InferenceResult>> e : byVersion.entrySet()) {
      List<InferenceResult> group = new ArrayList<>(e.getValue());
      group.sort(Comparator.comparing(InferenceResult::getCreatedAt));
      RunTally tally = new RunTally(variants, group.get(0).getCreatedAt().toEpochMilli());
      group.forEach(tally::add);
      double seconds =
          (group.get(group.size() - 1).getCreatedAt().toEpochMilli()
                  - group.get(0).getCreatedAt().toEpochMilli())
              / 1000.0;
      LoadCounts counts = new LoadCounts(tally.results(), 0, Map.of(), 0, seconds, 0);
      RunCollector.Snapshot snapshot =
          new RunCollector.Snapshot(
              tally.results(),
              tally.byStatus(),
              tally.variantCounts(),
              tally.duplicates(),
              0,
              0,
              0);
      policies.add(
          new PolicyResult(
              label(e.getKey()),
              counts,
              snapshot,
              tally.summary(),
              tally.timeline(),
              true,
              tally.decisionDelay()));
    }
    return policies;
  }

  static String label(long version) {
    return version == 0 ? "v0 (fallback heuristic)" : "v" + version;
  }

  /** The variants that served requests, least accurate first (the catalog's ladder order). */
  static List<String> variantsByAccuracy(List<InferenceResult> results) {
    Map<String, Double> accuracy = new LinkedHashMap<>();
    for (InferenceResult r : results) {
      if (r.getVariant() != null) {
        accuracy.putIfAbsent(r.getVariant(), r.getAccuracy());
      }
    }
    return accuracy.entrySet().stream()
        .sorted(
            Map.Entry.<String, Double>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey)
        .toList();
  }

  static String markdown(
      Options o,
      String service,
      List<PolicyResult> policies,
      List<String> plots,
      long read,
      long reported) {
    StringBuilder md = new StringBuilder();
    md.append("# Surge report\n\n");
    md.append("Written ").append(Instant.now()).append(" by `surge report`.\n\n");
    md.append("| source | |\n|---|---|\n");
    md.append("| topic | `").append(o.topic()).append("` on ").append(o.bootstrap()).append(" |\n");
    md.append("| requests created | ")
        .append(o.from() == null ? "from the start" : "from " + o.from())
        .append(o.to() == null ? " to now" : " to " + o.to())
        .append(" |\n");
    md.append("| service | ").append(service).append(" |\n");
    md.append(
        String.format(
            Locale.ROOT,
            "| records | %d read, %d reported (this service, in range) |%n",
            read,
            reported));
    md.append("\n## Results per policy version\n\n");
    md.append(SummaryTable.markdown(policies));
    md.append(
        "\nEffective accuracy = mean reward per request: the variant's accuracy (%) when the"
            + " answer is on time, 0 when late, failed or shed. SLO attainment = share of requests"
            + " answered on time. Latency percentiles are over answered requests, end to end.\n\n");
    md.append(
        "| policy | results | duplicates | span of creation times | decision delay p50 / p99 ms |\n");
    md.append("|---|---:|---:|---|---|\n");
    for (PolicyResult p : policies) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %.0f s | %.0f / %.0f |%n",
              p.policy(),
              p.results(),
              p.tallies().duplicates(),
              p.sent().seconds(),
              p.decisionDelay().percentile(0.5),
              p.decisionDelay().percentile(0.99)));
    }
    md.append("\n## Plots\n\n");
    for (String plot : plots) {
      md.append("![").append(plot).append("](").append(plot).append(")\n\n");
    }
    return md.toString();
  }
}
