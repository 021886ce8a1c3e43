package io.surge.cli.chaos;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Every log line of this JVM at INFO and above, stack traces included, kept in memory while open:
 * every configured logger is lowered to INFO (what a production deployment logs, and where Kafka
 * and Flink print their configurations) and the console appenders are detached so that the
 * scenario's own lines stay readable; {@link #close()} restores both.
 */
final class LogCapture implements AutoCloseable {

  private final LoggerContext context;
  private final Map<String, Level> levels = new HashMap<>();
  private final Map<String, List<AppenderRef>> refs = new HashMap<>();
  private final Map<String, Appender> detached = new HashMap<>();
  private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
  private final Appender appender;
  private boolean closed;

  private LogCapture(LoggerContext context) {
    this.context = context;
    this.appender = new Collector(lines);
  }

  /** Starts capturing. */
  static LogCapture start() {
    LogCapture capture =
        new LogCapture((LoggerContext) org.apache.logging.log4j.LogManager.getContext(false));
    capture.appender.start();
    LoggerConfig root = capture.context.getConfiguration().getRootLogger();
    for (AppenderRef ref : root.getAppenderRefs()) {
      capture.detached.put(ref.getRef(), root.getAppenders().get(ref.getRef()));
    }
    capture.refs.put(root.getName(), List.copyOf(root.getAppenderRefs()));
    capture.detached.keySet().forEach(root::removeAppender);
    root.addAppender(capture.appender, Level.INFO, null);
    capture.lowerToInfo();
    return capture;
  }

  /**
   * Lowers every configured logger to INFO again (a component that set its own levels after the
   * capture started, such as the embedded broker, is heard too).
   */
  void lowerToInfo() {
    Configuration config = context.getConfiguration();
    List<LoggerConfig> all = new ArrayList<>(config.getLoggers().values());
    all.add(config.getRootLogger());
    for (LoggerConfig logger : all) {
      levels.putIfAbsent(logger.getName(), logger.getLevel());
      if (logger.getLevel().isMoreSpecificThan(Level.INFO)) {
        logger.setLevel(Level.INFO);
      }
    }
    context.updateLoggers();
  }

  /** The lines captured so far. */
  List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Configuration config = context.getConfiguration();
    LoggerConfig root = config.getRootLogger();
    root.removeAppender(appender.getName());
    for (AppenderRef ref : refs.getOrDefault(root.getName(), List.of())) {
      Appender a = detached.get(ref.getRef());
      if (a != null) {
        root.addAppender(a, ref.getLevel(), ref.getFilter());
      }
    }
    List<LoggerConfig> all = new ArrayList<>(config.getLoggers().values());
    all.add(root);
    for (LoggerConfig logger : all) {
      Level before = levels.get(logger.getName());
      if (before != null) {
        logger.setLevel(before);
      }
    }
    context.updateLoggers();
    appender.stop();
  }

  /** Formats each event as the console would, with its stack trace, and keeps the text. */
  private static final class Collector extends AbstractAppender {
    private final ConcurrentLinkedQueue<String> lines;

    Collector(ConcurrentLinkedQueue<String> lines) {
      super(
          "surge-log-capture",
          null,
          PatternLayout.newBuilder().withPattern("%d{HH:mm:ss.SSS} %-5p %c{1} - %m%n%ex").build(),
          true,
          Property.EMPTY_ARRAY);
      this.lines = lines;
    }

    @Override
    public void append(LogEvent event) {
      Serializable formatted = getLayout().toSerializable(event);
      lines.add(String.valueOf(formatted));
    }
  }
}
