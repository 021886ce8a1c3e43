package io.surge.cli.publish;

import io.surge.cli.load.LoadGenerator;
import io.surge.operators.policy.PolicyUpdateCheck;
import io.surge.policy.onnx.PolicyFile;
import io.surge.policy.onnx.PolicyRejectedException;
import io.surge.schema.PolicyUpdate;
import io.surge.schema.wire.AvroWire;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The code path of {@code surge publish}: reads what the policies topic holds, stamps the next
 * version into the model's {@code surge.version} (its SHA-256 is that of the stamped bytes), runs
 * the job's own checks ({@link PolicyUpdateCheck}) on the update it would send, and only then
 * produces it. A model travels inline, or, when a store is given or it is too large to carry, as a
 * reference to the stamped file written into the store. A rollback re-stamps the previous good
 * model of the same target with the next version and publishes it the same way.
 *
 * <p>Versions are one sequence over the whole topic (the highest there, or the job's initial
 * policy's, plus one), so a version names one policy in every result. Two publishers racing for the
 * same version both pass here; the job takes the first and dead-letters the second.
 */
public final class PolicyPublisher {

  /**
   * Larger models go by reference: Kafka's default message size is 1 MiB, and every scheduler
   * subtask keeps the broadcast policy on its heap and checkpoints it.
   */
  public static final int INLINE_LIMIT = 1 << 20;

  /**
   * Where referenced models are written, and the URL that directory is served under (null: the file
   * URI of the directory, for a file system the TaskManagers share).
   */
  public record Store(Path dir, String baseUrl) {
    String uriOf(Path file) {
      if (baseUrl == null) {
        return file.toAbsolutePath().toUri().toString();
      }
      String base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
      return base + file.getFileName();
    }
  }

  /** What was sent, and where it landed. */
  public record Published(PolicyUpdate update, int modelBytes, int partition, long offset) {}

  private final PublishTarget target;

  public PolicyPublisher(PublishTarget target) {
    this.target = target;
  }

  public PublishTarget target() {
    return target;
  }

  /** What the policies topic holds now, with each record's verdict. */
  public List<PublishedPolicy> topic() {
    return PolicyTopic.read(
        target.bootstrap(),
        target.kafkaProperties(),
        target.topics().policies(),
        target.topics().deadLetters());
  }

  /**
   * Publishes a policy file as the next version.
   *
   * @param service the one service it is for, or null for every service
   * @param store where to write it for a reference, or null to carry it inline
   * @throws IllegalArgumentException when the file or the update is refused (nothing is sent)
   */
  public Published publish(Path file, String service, Store store) {
    PolicyFile source;
    try {
      source = PolicyFile.of(readFile(file), target.maxPolicyBytes(), null);
    } catch (PolicyRejectedException e) {
      throw new IllegalArgumentException("not a policy model: " + file + ": " + e.getMessage(), e);
    }
    List<PublishedPolicy> topic = topic();
    return send(
        stamp(source, nextVersion(topic)),
        file.getFileName().toString(),
        service,
        source.trainedOn(),
        store,
        topic);
  }

  /**
   * Publishes the previous good policy of a target again, under the next version: the accepted
   * update before the newest accepted one.
   *
   * @throws IllegalArgumentException when there is no earlier good policy, or its model is gone
   */
  public Published rollback(String service, Store store) {
    List<PublishedPolicy> topic = topic();
    String targetKey = service == null ? PolicyUpdateCheck.ALL_SERVICES : service;
    List<PublishedPolicy> good =
        topic.stream().filter(p -> p.accepted() && p.target().equals(targetKey)).toList();
    if (good.size() < 2) {
      throw new IllegalArgumentException(
          "nothing to roll back to for "
              + describe(service)
              + ": the topic holds "
              + good.size()
              + " accepted version(s) for it");
    }
    PolicyUpdate previous = good.get(good.size() - 2).update();
    PolicyFile model;
    try {
      byte[] bytes = PolicyUpdateCheck.modelBytes(previous, target.maxPolicyBytes());
      model = PolicyFile.of(bytes, target.maxPolicyBytes(), previous.getSha256());
    } catch (PolicyRejectedException e) {
      throw new IllegalArgumentException(
          "the model of version " + previous.getVersion() + " is gone: " + e.getMessage(), e);
    }
    if (store == null
        && model.size() > INLINE_LIMIT
        && previous.getModelUri() != null
        && previous.getModelUri().startsWith("file:")) {
      // too large to carry: refer to it again, next to where it was
      store = new Store(Path.of(URI.create(previous.getModelUri())).getParent(), null);
    }
    return send(
        stamp(model, nextVersion(topic)),
        "rollback to v" + previous.getVersion() + " (" + previous.getName() + ")",
        service,
        previous.getTrainedOn(),
        store,
        topic);
  }

  /**
   * Produces an update as it is (no checks): the last step of {@link #publish}, public for tests
   * that must put what {@code surge publish} would refuse on the topic.
   */
  public Published produce(PolicyUpdate update, int modelBytes) {
    Properties extra = new Properties();
    extra.putAll(target.kafkaProperties());
    extra.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(INLINE_LIMIT + (64 << 10)));
    extra.put(ProducerConfig.CLIENT_ID_CONFIG, "surge-publish");
    AvroWire<PolicyUpdate> wire = AvroWire.of(PolicyUpdate.class);
    // the topic is compacted: a key per version keeps every version for rollbacks and listings
    String key = PolicyUpdateCheck.target(update) + "@v" + update.getVersion();
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            target.topics().policies(),
            key.getBytes(StandardCharsets.UTF_8),
            wire.serialize(update));
    record.headers().add(new RecordHeader(AvroWire.SCHEMA_HEADER, wire.fingerprint()));
    try (Producer<byte[], byte[]> producer =
        LoadGenerator.createProducer(target.bootstrap(), extra)) {
      RecordMetadata meta = producer.send(record).get();
      return new Published(update, modelBytes, meta.partition(), meta.offset());
    } catch (ExecutionException e) {
      throw new IllegalArgumentException(
          "cannot publish to " + target.topics().policies() + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    }
  }

  /** One more than the highest version on the topic or of the job's initial policy. */
  static long nextVersion(List<PublishedPolicy> topic) {
    return topic.stream().mapToLong(PublishedPolicy::version).max().orElse(0) + 1;
  }

  private PolicyFile stamp(PolicyFile model, long version) {
    try {
      return model.withVersion(Math.max(version, target.initialVersion() + 1));
    } catch (PolicyRejectedException e) {
      throw new IllegalArgumentException("cannot stamp version " + version + ": " + e, e);
    }
  }

  private Published send(
      PolicyFile model,
      String name,
      String service,
      String trainedOn,
      Store store,
      List<PublishedPolicy> topic) {
    long version = versionOf(model);
    if (store == null && model.size() > INLINE_LIMIT) {
      throw new IllegalArgumentException(
          "the model has "
              + model.size()
              + " bytes, more than the "
              + INLINE_LIMIT
              + " carried inline: give --store DIR (and --store-url URL if the job reads it over"
              + " HTTP) to publish a reference");
    }
    Path written = store == null ? null : write(store, model, version);
    PolicyUpdate update =
        PolicyUpdate.newBuilder()
            .setVersion(version)
            .setName(name)
            .setService(service)
            .setCreatedAt(Instant.now())
            .setSpecHash(model.specHash())
            .setActions(model.actions())
            .setSha256(model.sha256())
            .setModel(ByteBuffer.wrap(written == null ? model.bytes() : new byte[0]))
            .setTrainedOn(trainedOn == null || trainedOn.isEmpty() ? null : trainedOn)
            .setModelUri(written == null ? null : store.uriOf(written))
            .build();
    String problem = target.check().problemWith(update, newestAccepted(topic, service));
    if (problem != null) {
      if (written != null) {
        deleteQuietly(written);
      }
      throw new IllegalArgumentException(
          "the job would reject version " + version + ", nothing published: " + problem);
    }
    return produce(update, model.size());
  }

  private static Long newestAccepted(List<PublishedPolicy> topic, String service) {
    String key = service == null ? PolicyUpdateCheck.ALL_SERVICES : service;
    return topic.stream()
        .filter(p -> p.accepted() && p.target().equals(key))
        .map(PublishedPolicy::version)
        .max(Long::compare)
        .orElse(null);
  }

  private static long versionOf(PolicyFile model) {
    try {
      return model.version();
    } catch (PolicyRejectedException e) {
      throw new IllegalStateException("a stamped model has its version", e);
    }
  }

  private static Path write(Store store, PolicyFile model, long version) {
    try {
      Files.createDirectories(store.dir());
      Path file = store.dir().resolve("policy-v" + version + ".onnx");
      Files.write(file, model.bytes());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the model into " + store.dir(), e);
    }
  }

  private static byte[] readFile(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the refusal is what the user needs to see
    }
  }

  static String describe(String service) {
    return service == null ? "every service" : "service " + service;
  }
}
