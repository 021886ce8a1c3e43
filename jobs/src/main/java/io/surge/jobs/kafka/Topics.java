package io.surge.jobs.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics of Surge (DESIGN.md section 2) with their settings, optionally prefixed (several demos
 * or test runs sharing one cluster). Backs {@code surge topics create}.
 *
 * <p>{@code policies} has one partition and is compacted by key, so it always holds the latest
 * policy per key and every subtask sees versions in order. Replication follows the broker's {@code
 * default.replication.factor} unless set.
 */
public final class Topics {

  /** Default partitions of the data topics: one per scheduler subtask of a small job. */
  public static final int DEFAULT_PARTITIONS = 4;

  private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]*");
  private static final int MAX_POLICY_BYTES = 16 * 1024 * 1024;
  private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

  /** A topic: its base name and retention; partitions come from the {@link Topics} instance. */
  public enum Topic {
    REQUESTS("requests", Duration.ofDays(1)),
    /** Feeds the scheduler's in-flight map back: only needed for seconds. */
    COMPLETIONS("completions", Duration.ofHours(1)),
    POLICIES("policies", null),
    RESULTS("results", Duration.ofDays(7)),
    EXPERIENCE("experience", Duration.ofDays(3)),
    DEAD_LETTERS("dead-letters", Duration.ofDays(14));

    private final String baseName;
    private final Duration retention;

    Topic(String baseName, Duration retention) {
      this.baseName = baseName;
      this.retention = retention;
    }

    public String baseName() {
      return baseName;
    }

    /** Time-based retention, or null for a compacted topic. */
    public Duration retention() {
      return retention;
    }
  }

  private final String prefix;
  private final int partitions;
  private final Optional<Short> replicationFactor;

  private Topics(String prefix, int partitions, Optional<Short> replicationFactor) {
    if (prefix == null || !LEGAL_NAME.matcher(prefix).matches() || prefix.length() > 200) {
      throw new IllegalArgumentException(
          "topic prefix '" + prefix + "' must be at most 200 of [a-zA-Z0-9._-]");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    replicationFactor.ifPresent(
        rf -> {
          if (rf < 1) {
            throw new IllegalArgumentException("replication factor must be at least 1, got " + rf);
          }
        });
    this.prefix = prefix;
    this.partitions = partitions;
    this.replicationFactor = replicationFactor;
  }

  /** Unprefixed names, {@value #DEFAULT_PARTITIONS} partitions, broker default replication. */
  public static Topics defaults() {
    return new Topics("", DEFAULT_PARTITIONS, Optional.empty());
  }

  /** Names prefixed as given, e.g. {@code "demo."} gives {@code demo.requests}. */
  public static Topics withPrefix(String prefix) {
    return new Topics(prefix, DEFAULT_PARTITIONS, Optional.empty());
  }

  /** The same names with another partition count for the data topics. */
  public Topics withPartitions(int count) {
    return new Topics(prefix, count, replicationFactor);
  }

  /** The same names with an explicit replication factor (e.g. 3 on a production cluster). */
  public Topics withReplicationFactor(short factor) {
    return new Topics(prefix, partitions, Optional.of(factor));
  }

  public String prefix() {
    return prefix;
  }

  public String name(Topic topic) {
    return prefix + topic.baseName();
  }

  public String requests() {
    return name(Topic.REQUESTS);
  }

  public String completions() {
    return name(Topic.COMPLETIONS);
  }

  public String policies() {
    return name(Topic.POLICIES);
  }

  public String results() {
    return name(Topic.RESULTS);
  }

  public String experience() {
    return name(Topic.EXPERIENCE);
  }

  public String deadLetters() {
    return name(Topic.DEAD_LETTERS);
  }

  /** Partition count of a topic: one for {@code policies}, the configured count otherwise. */
  public int partitions(Topic topic) {
    return topic == Topic.POLICIES ? 1 : partitions;
  }

  /** The definitions {@link #createAll} creates, in {@link Topic} order. */
  public List<NewTopic> newTopics() {
    List<NewTopic> out = new ArrayList<>();
    for (Topic topic : Topic.values()) {
      out.add(
          new NewTopic(name(topic), Optional.of(partitions(topic)), replicationFactor)
              .configs(configs(topic)));
    }
    return out;
  }

  /** Topic-level settings of one topic. */
  public static Map<String, String> configs(Topic topic) {
    Map<String, String> c = new LinkedHashMap<>();
    if (topic.retention() == null) {
      c.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
      // policies are ONNX files: larger than the 1 MB default
      c.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(MAX_POLICY_BYTES));
      return c;
    }
    c.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
    c.put(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(topic.retention().toMillis()));
    return c;
  }

  /**
   * Creates every topic that does not exist yet; existing topics are left as they are.
   *
   * @return which topics were created and which already existed
   * @throws TopicCreationException when the cluster refuses a topic or cannot be reached
   */
  public Created createAll(Admin admin) {
    List<NewTopic> topics = newTopics();
    CreateTopicsResult result = admin.createTopics(topics);
    List<String> created = new ArrayList<>();
    List<String> existing = new ArrayList<>();
    for (NewTopic topic : topics) {
      String name = topic.name();
      try {
        result.values().get(name).get();
        created.add(name);
      } catch (ExecutionException ex) {
        if (!(ex.getCause() instanceof TopicExistsException)) {
          throw new TopicCreationException(
              "cannot create topic " + name + ": " + ex.getCause().getMessage(), ex.getCause());
        }
        existing.add(name);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new TopicCreationException("interrupted while creating topics", ex);
      }
    }
    awaitServed(admin, created);
    return new Created(List.copyOf(created), List.copyOf(existing));
  }

  /**
   * Waits until every partition of the topics has a leader that serves it. Metadata names the
   * leader slightly before the leader's replica manager serves the partition; a producer started in
   * that window meets {@code NOT_LEADER_OR_FOLLOWER} retries (and one test run lost a record to the
   * delivery timeout around then; the cause was not proven). Only a serving leader answers a
   * list-offsets request, so this polls that.
   *
   * @throws TopicCreationException when not served within 30 s
   */
  public static void awaitServed(Admin admin, List<String> names) {
    if (names.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + LEADER_TIMEOUT.toNanos();
    while (true) {
      try {
        Map<TopicPartition, OffsetSpec> partitions = new LinkedHashMap<>();
        for (TopicDescription d : admin.describeTopics(names).allTopicNames().get().values()) {
          for (TopicPartitionInfo p : d.partitions()) {
            partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
          }
        }
        admin.listOffsets(partitions).all().get();
        return;
      } catch (ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw new TopicCreationException(
              "topics "
                  + names
                  + " not served after "
                  + LEADER_TIMEOUT.toSeconds()
                  + " s: "
                  + e.getCause(),
              e.getCause());
        }
        LockSupport.parkNanos(POLL_INTERVAL.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TopicCreationException("interrupted while waiting for topic leaders", e);
      }
    }
  }

  /** Outcome of {@link #createAll}. */
  public record Created(List<String> created, List<String> existing) {}

  /** The cluster refused a topic or could not be reached. */
  public static final class TopicCreationException extends RuntimeException {
    public TopicCreationException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
