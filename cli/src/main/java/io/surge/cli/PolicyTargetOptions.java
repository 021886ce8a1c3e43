package io.surge.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which job and service a policy is for: {@code surge publish} and {@code surge learn} read the
 * catalog, observation options and topics from the job's own configuration.
 */
final class PolicyTargetOptions {

  @Option(
      names = "--config",
      required = true,
      description = "The job's configuration (scheduler.yaml): catalog, history, topics")
  Path config;

  @Option(
      names = "--service",
      description =
          "For this service only (default: all services; surge learn learns for the catalog's one"
              + " service and publishes for all)")
  String service;
}
