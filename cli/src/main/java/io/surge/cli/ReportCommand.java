package io.surge.cli;

import io.surge.cli.demo.SummaryTable;
import io.surge.cli.demo.TopicReport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code surge report}: the demo's table and plots for any results topic, per policy version. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Summarise a results topic per policy version (effective accuracy, SLO attainment, shed,"
            + " latency, variant mix; plots of accuracy, mix and arrivals against outcomes over"
            + " time): prints the table and writes OUT/report.md with PNG plots.")
final class ReportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin KafkaClientOptions kafka = new KafkaClientOptions();

  @Option(
      names = "--topic-prefix",
      defaultValue = "",
      description = "Prefix of the job's topics (reads PREFIX + results)")
  String prefix;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description = "Only requests created at or after TIME (ISO-8601, e.g. 2026-11-30T14:00:00Z)")
  Instant from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      description = "Only requests created before TIME (ISO-8601)")
  Instant to;

  @Option(
      names = "--service",
      description = "The service to report on (default: the one with the most results)")
  String service;

  @Option(
      names = "--out",
      defaultValue = "out/report",
      paramLabel = "DIR",
      description = "Where report.md and the plots go (default: ${DEFAULT-VALUE})")
  Path out;

  @Override
  public Integer call() {
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("--from must be before --to");
    }
    TopicReport.Written written =
        TopicReport.write(
            new TopicReport.Options(
                kafka.bootstrap,
                kafka.clientProperties(),
                prefix + "results",
                from,
                to,
                service,
                out));
    var outWriter = spec.commandLine().getOut();
    outWriter.print(SummaryTable.text(written.policies()));
    outWriter.printf(
        "%d records read, %d reported, %d undecodable; wrote %s%n",
        written.read(), written.inRange(), written.undecodable(), written.report());
    outWriter.flush();
    return 0;
  }
}
