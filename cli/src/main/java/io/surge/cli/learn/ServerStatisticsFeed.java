package io.surge.cli.learn;

import io.surge.serving.client.InferenceClient;
import io.surge.serving.client.InferenceClients;
import io.surge.serving.client.UnsupportedExtensionException;
import io.surge.serving.engine.ModelStatistics;
import io.surge.serving.profile.Profiler;
import io.surge.serving.profile.ServerTimes;
import io.surge.state.catalog.Catalog;
import io.surge.train.online.ObservedExecutions;
import io.surge.train.online.OnlineLearner;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Feeds an {@link OnlineLearner} the servers' own compute times: every {@code every} it reads each
 * catalog server's statistics (Triton's statistics extension, the call {@code surge profile} makes)
 * and hands over what ran since the previous read, per model and batch size. These are service
 * times without queueing, which the completions' latencies cannot give under load (DESIGN.md
 * section 10). A server without the extension is asked once and then left to the completions; one
 * that does not answer is asked again at the next read.
 */
public final class ServerStatisticsFeed implements AutoCloseable {

  /** How often {@code surge learn} and the demo's learner read the servers. */
  public static final Duration EVERY = Duration.ofSeconds(2);

  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final Map<String, InferenceClient> clients = new LinkedHashMap<>();
  private final Map<String, List<ModelStatistics>> previous = new HashMap<>();
  private final Map<String, String> state = new LinkedHashMap<>();
  private final long everyNanos;
  private long nextNanos;

  /** Reads every server of {@code catalog} (the learner keeps what concerns its service). */
  public ServerStatisticsFeed(Catalog catalog, Duration every) {
    for (Catalog.Server server : catalog.servers()) {
      clients.put(
          server.name(),
          InferenceClients.builder(URI.create(server.url()))
              .connectTimeout(TIMEOUT)
              .requestTimeout(TIMEOUT)
              .build());
      state.put(server.name(), "not read yet");
    }
    this.everyNanos = every.toNanos();
    this.nextNanos = System.nanoTime();
  }

  /** Reads the servers when {@code every} has passed since the last read; else does nothing. */
  public void pollInto(OnlineLearner learner) {
    long now = System.nanoTime();
    if (now < nextNanos) {
      return;
    }
    nextNanos = now + everyNanos;
    for (Map.Entry<String, InferenceClient> e : clients.entrySet()) {
      String server = e.getKey();
      if (state.get(server).startsWith("no statistics")) {
        continue;
      }
      List<ModelStatistics> read;
      try {
        read = e.getValue().statistics(null, null).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException failed) {
        state.put(
            server,
            failed.getCause() instanceof UnsupportedExtensionException
                ? "no statistics extension: completions only"
                : "unread: " + failed.getCause());
        continue;
      } catch (TimeoutException slow) {
        state.put(server, "unread: no answer in " + TIMEOUT.toSeconds() + " s");
        continue;
      } catch (RuntimeException refused) {
        // e.g. a URL the client cannot use: the learner goes on with the completions
        state.put(server, "unread: " + refused);
        continue;
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return;
      }
      long at = System.currentTimeMillis();
      List<ModelStatistics> before = previous.put(server, read);
      if (before == null) {
        state.put(server, "read");
        continue;
      }
      long executions = 0;
      for (Profiler.ServerCompute c : ServerTimes.between(before, read)) {
        learner.observe(
            new ObservedExecutions(
                server, c.model(), c.batch(), c.executions(), c.meanMs() * c.executions(), at));
        executions += c.executions();
      }
      state.put(server, "read, " + executions + " executions in the last read");
    }
  }

  /** Each server's last read, e.g. {@code edge-0 read, 412 executions in the last read}. */
  public String describe() {
    StringJoiner text = new StringJoiner("; ");
    state.forEach((server, s) -> text.add(server + " " + s));
    return text.toString();
  }

  @Override
  public void close() {
    clients.values().forEach(InferenceClient::close);
  }
}
