package io.surge.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The few calls of Flink's REST API the cluster tests need (JSON read with Jackson). */
public final class FlinkRest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();

  public FlinkRest(URI base) {
    this.base = base;
  }

  public URI base() {
    return base;
  }

  /** GET {@code path}; throws {@link IOException} on a connection failure or a non-200 answer. */
  public JsonNode get(String path) throws IOException {
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
  public boolean isUp() {
    return tryGet("/overview").isPresent();
  }

  /** Resource ids of the registered TaskManagers. */
  public List<String> taskManagerIds() {
    List<String> ids = new ArrayList<>();
    tryGet("/taskmanagers")
        .ifPresent(tms -> tms.path("taskmanagers").forEach(tm -> ids.add(tm.path("id").asText())));
    return ids;
  }

  /** The job's entry of {@code /jobs/overview} (name, state, task counts), if listed. */
  public Optional<JsonNode> jobOverview(String jobId) {
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
  public boolean allTasksRunning(String jobId) {
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
  public long completedCheckpoints(String jobId) {
    return tryGet("/jobs/" + jobId + "/checkpoints")
        .map(c -> c.path("counts").path("completed").asLong())
        .orElse(0L);
  }

  /** Checkpoints triggered and neither completed nor failed yet. */
  public long checkpointsInProgress(String jobId) {
    return tryGet("/jobs/" + jobId + "/checkpoints")
        .map(c -> c.path("counts").path("in_progress").asLong())
        .orElse(0L);
  }

  /** How many times the job restored from a checkpoint. */
  public long restoredCheckpoints(String jobId) {
    return tryGet("/jobs/" + jobId + "/checkpoints")
        .map(c -> c.path("counts").path("restored").asLong())
        .orElse(0L);
  }

  /** Checkpoints that failed (for example because a TaskManager died during one). */
  public long failedCheckpoints(String jobId) {
    return tryGet("/jobs/" + jobId + "/checkpoints")
        .map(c -> c.path("counts").path("failed").asLong())
        .orElse(0L);
  }

  /** The status Flink's checkpoint history gives checkpoint {@code id} (e.g. FAILED), if listed. */
  public Optional<String> checkpointStatus(String jobId, long id) {
    return tryGet("/jobs/" + jobId + "/checkpoints")
        .flatMap(
            c -> {
              for (JsonNode entry : c.path("history")) {
                if (entry.path("id").asLong() == id) {
                  return Optional.of(entry.path("status").asText());
                }
              }
              return Optional.empty();
            });
  }

  /** Id of the checkpoint in progress now, if one is. */
  public OptionalLong checkpointInProgress(String jobId) {
    Optional<JsonNode> c = tryGet("/jobs/" + jobId + "/checkpoints");
    if (c.isEmpty()) {
      return OptionalLong.empty();
    }
    for (JsonNode entry : c.get().path("history")) {
      if (entry.path("status").asText().equals("IN_PROGRESS")) {
        return OptionalLong.of(entry.path("id").asLong());
      }
    }
    return OptionalLong.empty();
  }

  /** Full state size in bytes of the latest completed checkpoint, if any. */
  public OptionalLong latestCompletedStateSize(String jobId) {
    Optional<JsonNode> latest =
        tryGet("/jobs/" + jobId + "/checkpoints")
            .map(c -> c.path("latest").path("completed"))
            .filter(n -> n.has("state_size"));
    return latest.isPresent()
        ? OptionalLong.of(latest.get().path("state_size").asLong())
        : OptionalLong.empty();
  }

  /**
   * State size in bytes, summed over subtasks, of the job's first vertex whose name starts with
   * {@code vertexPrefix} in the latest completed checkpoint, if any.
   */
  public OptionalLong latestCompletedVertexStateSize(String jobId, String vertexPrefix)
      throws IOException {
    OptionalLong checkpoint = latestCompletedCheckpoint(jobId);
    if (checkpoint.isEmpty()) {
      return OptionalLong.empty();
    }
    String vertex = vertexId(jobId, vertexPrefix);
    JsonNode task =
        get("/jobs/" + jobId + "/checkpoints/details/" + checkpoint.getAsLong())
            .path("tasks")
            .path(vertex);
    return task.has("state_size")
        ? OptionalLong.of(task.path("state_size").asLong())
        : OptionalLong.empty();
  }

  /**
   * The sums over subtasks of {@code metrics} (e.g. {@code scheduler.dispatched}) of the job's
   * first vertex whose name starts with {@code vertexPrefix}; a metric not reported yet is absent.
   * Flink's REST metrics are fetched from the TaskManagers every few seconds, not live.
   */
  public Map<String, Double> vertexMetricSums(
      String jobId, String vertexPrefix, List<String> metrics) throws IOException {
    String vertex = vertexId(jobId, vertexPrefix);
    Map<String, Double> sums = new LinkedHashMap<>();
    JsonNode answer =
        get(
            "/jobs/"
                + jobId
                + "/vertices/"
                + vertex
                + "/subtasks/metrics?agg=sum&get="
                + String.join(",", metrics));
    for (JsonNode m : answer) {
      sums.put(m.path("id").asText(), m.path("sum").asDouble());
    }
    return sums;
  }

  /** The id of the job's first vertex whose name starts with {@code vertexPrefix}. */
  private String vertexId(String jobId, String vertexPrefix) throws IOException {
    for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
      if (v.path("name").asText().startsWith(vertexPrefix)) {
        return v.path("id").asText();
      }
    }
    throw new IOException("job " + jobId + " has no vertex named " + vertexPrefix + "…");
  }

  /** Id of the latest completed checkpoint, if any. */
  public OptionalLong latestCompletedCheckpoint(String jobId) {
    return idOf(tryGet("/jobs/" + jobId + "/checkpoints"), "completed");
  }

  /** Id of the checkpoint the job last restored from, if it ever restored. */
  public OptionalLong latestRestoredCheckpoint(String jobId) {
    return idOf(tryGet("/jobs/" + jobId + "/checkpoints"), "restored");
  }

  /** Every job's id, name and state, and its latest exception: for a failure report. */
  public String jobsSummary() {
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
  public String rootException(String jobId) {
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
