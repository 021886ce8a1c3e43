package io.surge.serving.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A client that closes its connection mid-request is one log line, not a stack trace. */
class ClientLeavesEarlyTest {

  private final List<LogEvent> events = new CopyOnWriteArrayList<>();
  private AbstractAppender appender;
  private LoggerConfig loggerConfig;
  private InferenceHttpServer server;

  @BeforeEach
  void capture() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    appender =
        new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            events.add(event.toImmutable());
          }
        };
    appender.start();
    loggerConfig = context.getConfiguration().getLoggerConfig(ApiHandler.class.getName());
    loggerConfig.addAppender(appender, Level.ALL, null);
    context.updateLoggers();
    ApiHandler.resetClientLeftLog();
    server =
        InferenceHttpServer.start(new OneModelExecutor(), ServerOptions.defaults().withPort(0));
  }

  @AfterEach
  void release() {
    server.close();
    loggerConfig.removeAppender("capture");
    ((LoggerContext) LogManager.getContext(false)).updateLoggers();
    appender.stop();
  }

  @Test
  void aResetMidBodyIsLoggedAsOneLineWithoutAStackTrace() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v2/models/m/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 100000\r\n\r\n{\"inputs\": [")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(200);
      socket.setSoLinger(true, 0); // close with a reset, as a client giving up does
    }

    long deadline = System.nanoTime() + 10_000_000_000L;
    while (events.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(events).hasSize(1);
    LogEvent event = events.get(0);
    assertThat(event.getLevel()).isEqualTo(Level.INFO);
    assertThat(event.getMessage().getFormattedMessage())
        .contains("a client closed its connection before the answer", "/v2/models/m/infer")
        .doesNotContain("\n");
    assertThat(event.getThrown()).isNull();
  }
}
