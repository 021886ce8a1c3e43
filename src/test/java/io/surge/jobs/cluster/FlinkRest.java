package io.surge.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** The few calls of Flink's REST API the cluster tests need (JSON read with Jackson). */
final class FlinkRest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();

  FlinkRest(URI base) {
    this.base = base;
  }

  URI base() {
    return base;
  }

  /** GET {@code path}; throws {@link IOException} on a connection failure or a non-200 answer. */
  JsonNode get(String path) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException(
            "GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: GET " + path, e);
    }
  }

  /** Whether the REST endpoint answers. */
  boolean isUp() {
    return tryGet("/overview").isPresent();
  }

  /** Resource ids of the registered TaskManagers. */
  List<String> taskManagerIds() {
    List<String> ids = new ArrayList<>();
    tryGet("/taskmanagers")
        .ifPresent(tms -> tms.path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText())));
    return ids;
  }

  /** The job's entry of {@code /jobs/overview} (name, state, task counts), if listed. */
  Optional<JsonNode> jobOverview(String jobId) {
    return tryGet("/jobs/overview")
        .flatMap(
            all -> {
              for (JsonNode job : all.path("jobs")) {
                if (job.path("jid").asText().equals(jobId)) {
                  return Optional.of(job);
                }
              }
              return Optional.empty();
            });
  }

  /**
   * Whether the job is RUNNING with every task RUNNING, or FINISHED for bounded sources such as the
   * initial policy (the job state turns RUNNING before its tasks do).
   */
  boolean allTasksRunning(String jobId) {
    return jobOverview(jobId)
        .filter(job -> job.path("state").asText().equals("RUNNING"))
        .filter(
            job -> {
              JsonNode tasks = job.path("tasks");
              int running = tasks.path("running").asInt();
              return running > 0
                  && running + tasks.path("finished").asInt() == tasks.path("total").asInt();
            })
        .isPresent();
  }

  /** Completed checkpoints so far. */
  long completedCheckpoints(String jobId) {
    return tryGet("/jobs/" + jobId + "/checkpoints")
        .map(c -> c.path("counts").path("completed").asLong())
        .orElse(0L);
  }

  /** Id of the latest completed checkpoint, if any. */
  OptionalLong latestCompletedCheckpoint(String jobId) {
    return idOf(tryGet("/jobs/" + jobId + "/checkpoints"), "completed");
  }

  /** Id of the checkpoint the job last restored from, if it ever restored. */
  OptionalLong latestRestoredCheckpoint(String jobId) {
    return idOf(tryGet("/jobs/" + jobId + "/checkpoints"), "restored");
  }

  /** Every job's id, name and state, and its latest exception: for a failure report. */
  String jobsSummary() {
    Optional<JsonNode> all = tryGet("/jobs/overview");
    if (all.isEmpty()) {
      return "(REST API at " + base + " not answering)\n";
    }
    StringBuilder out = new StringBuilder();
    for (JsonNode job : all.get().path("jobs")) {
      String id = job.path("jid").asText();
      out.append(
          String.format(
              "job %s '%s' %s, tasks %s, latest exception: %s%n",
              id,
              job.path("name").asText(),
              job.path("state").asText(),
              job.path("tasks"),
              rootException(id)));
    }
    return out.length() == 0 ? "(no jobs)\n" : out.toString();
  }

  /** The job's latest exception, for diagnostics. */
  String rootException(String jobId) {
    return tryGet("/jobs/" + jobId + "/exceptions")
        .map(e -> e.path("exceptionHistory").path("entries"))
        .filter(entries -> entries.size() > 0)
        .map(entries -> entries.get(0).path("stacktrace").asText())
        .orElse("(none)");
  }

  private static OptionalLong idOf(Optional<JsonNode> checkpoints, String kind) {
    JsonNode latest = checkpoints.map(c -> c.path("latest").path(kind)).orElse(null);
    if (latest == null || latest.isMissingNode() || latest.isNull()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(latest.path("id").asLong());
  }

  private Optional<JsonNode> tryGet(String path) {
    try {
      return Optional.of(get(path));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
