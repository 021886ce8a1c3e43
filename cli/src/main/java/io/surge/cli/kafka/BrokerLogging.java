package io.surge.cli.kafka;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Lowers the embedded broker's own loggers to ERROR: at WARN it still prints routine start and stop
 * messages that drown the demo's progress lines. Client loggers are left alone, so a producer's or
 * consumer's warnings still show.
 */
final class BrokerLogging {

  private static final String[] BROKER_LOGGERS = {
    "kafka",
    "state.change.logger",
    "org.apache.kafka.controller",
    "org.apache.kafka.raft",
    "org.apache.kafka.server",
    "org.apache.kafka.metadata",
    "org.apache.kafka.image",
    "org.apache.kafka.storage",
    "org.apache.kafka.coordinator",
    "org.apache.kafka.clients.NetworkClient",
  };

  private BrokerLogging() {}

  static void quieten() {
    if (Boolean.getBoolean("surge.kafka.verbose")) {
      return;
    }
    try {
      for (String name : BROKER_LOGGERS) {
        Configurator.setLevel(name, Level.ERROR);
      }
    } catch (LinkageError | ClassCastException e) {
      // log4j-core is not the logging backend here: leave the levels to whatever is configured
    }
  }
}
