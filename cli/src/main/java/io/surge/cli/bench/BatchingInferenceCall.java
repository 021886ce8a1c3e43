package io.surge.cli.bench;

import io.surge.operators.invoke.CallAnswer;
import io.surge.operators.invoke.CallFailure;
import io.surge.operators.invoke.InferenceCall;
import io.surge.operators.invoke.KServeInferenceCall;
import io.surge.schema.Dispatch;
import io.surge.schema.Tensor;
import io.surge.serving.client.InferOptions;
import io.surge.serving.client.KServeClient;
import io.surge.serving.protocol.Datatype;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.InferResponse;
import io.surge.serving.protocol.InferTensor;
import io.surge.state.ServiceTopology;
import io.surge.state.catalog.Catalog;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A prototype of micro-batched calls: dispatches for the same model on the same server are grouped
 * into one KServe v2 request whose input has a batch dimension of the group's size, sent when the
 * group is full or {@code maxDelay} after its first dispatch. Every dispatch of the group gets the
 * group's answer (outputs are not split: the benchmark does not keep them).
 *
 * <p>Only for fixed-size datatypes; a null payload is a zero row. The group's timeout is its
 * tightest dispatch's.
 */
final class BatchingInferenceCall implements InferenceCall {

  private final Map<String, KServeClient> clients;
  private final Map<String, ServiceTopology> topologies;
  private final int maxBatch;
  private final long maxDelayNanos;
  private final ScheduledExecutorService flusher;
  private final Map<GroupKey, Group> open = new HashMap<>();

  BatchingInferenceCall(
      Catalog catalog, Map<String, KServeClient> clients, int maxBatch, Duration maxDelay) {
    this.clients = clients;
    this.maxBatch = maxBatch;
    this.maxDelayNanos = maxDelay.toNanos();
    this.topologies = ServiceTopology.byService(catalog);
    this.flusher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "surge-bench-batch-flusher");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public CompletableFuture<CallAnswer> infer(Dispatch dispatch, Duration timeout) {
    KServeClient client = clients.get(dispatch.getServer());
    ServiceTopology topology = topologies.get(dispatch.getRequest().getService());
    Catalog.Variant variant = topology == null ? null : topology.variant(dispatch.getVariant());
    if (client == null || variant == null || variant.input() == null) {
      return CompletableFuture.failedFuture(
          CallFailure.invalidRequest(
              "no server, variant or input spec for " + dispatch.getVariant(), null));
    }
    Member member = new Member(dispatch, timeout, new CompletableFuture<>());
    GroupKey key = new GroupKey(dispatch.getServer(), dispatch.getModel());
    Group full = null;
    synchronized (this) {
      Group group = open.get(key);
      if (group == null) {
        group = new Group(key, client, dispatch.getModel(), variant);
        open.put(key, group);
        Group scheduled = group;
        flusher.schedule(() -> flushIfOpen(scheduled), maxDelayNanos, TimeUnit.NANOSECONDS);
      }
      group.members.add(member);
      if (group.members.size() >= maxBatch) {
        open.remove(key);
        full = group;
      }
    }
    if (full != null) {
      send(full);
    }
    return member.answer;
  }

  private void flushIfOpen(Group group) {
    synchronized (this) {
      if (open.get(group.key) != group) {
        return; // already sent full
      }
      open.remove(group.key);
    }
    send(group);
  }

  private void send(Group group) {
    InferRequest request;
    try {
      request = requestOf(group);
    } catch (IllegalArgumentException e) {
      group.fail(CallFailure.invalidRequest(e.getMessage(), e));
      return;
    }
    Duration timeout =
        group.members.stream().map(m -> m.timeout).min(Duration::compareTo).orElseThrow();
    group
        .client
        .infer(group.model, null, request, InferOptions.defaults().withTimeout(timeout))
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                group.fail(KServeInferenceCall.toCallFailure(error));
              } else {
                group.answer(answerOf(response));
              }
            });
  }

  /** One input of {@code [members, ...spec shape]}: each member's payload, or zeros. */
  private static InferRequest requestOf(Group group) {
    Catalog.TensorSpec spec = group.variant.input();
    Datatype datatype = Datatype.parse(spec.datatype());
    if (datatype == Datatype.BYTES) {
      throw new IllegalArgumentException("batched calls support fixed-size datatypes only");
    }
    int rowBytes = Math.toIntExact(spec.elementCount() * datatype.byteSize());
    int n = group.members.size();
    ByteBuffer data = ByteBuffer.allocate(rowBytes * n).order(ByteOrder.LITTLE_ENDIAN);
    for (Member m : group.members) {
      Tensor payload = m.dispatch.getRequest().getPayload();
      if (payload != null && payload.getData().remaining() == rowBytes) {
        data.put(payload.getData().duplicate());
      } else {
        data.position(data.position() + rowBytes); // zeros
      }
    }
    data.flip();
    long[] shape = new long[spec.shape().size() + 1];
    shape[0] = n;
    for (int i = 0; i < spec.shape().size(); i++) {
      shape[i + 1] = spec.shape().get(i);
    }
    String id = group.members.get(0).dispatch.getRequest().getRequestId() + "+" + (n - 1);
    return new InferRequest(
        id, Map.of(), List.of(new InferTensor(spec.name(), datatype, shape, data)), List.of());
  }

  private static CallAnswer answerOf(InferResponse response) {
    Object queueMs = response.parameters().get(KServeInferenceCall.QUEUE_MS_PARAMETER);
    return new CallAnswer(null, queueMs instanceof Number q ? q.doubleValue() : null);
  }

  @Override
  public CompletableFuture<Boolean> ready(String server) {
    KServeClient client = clients.get(server);
    return client == null ? CompletableFuture.completedFuture(false) : client.ready();
  }

  @Override
  public void close() {
    flusher.shutdownNow();
  }

  private record Member(
      Dispatch dispatch, Duration timeout, CompletableFuture<CallAnswer> answer) {}

  /** Dispatches for one model on one server, sent as one call. */
  private static final class Group {
    final GroupKey key;
    final KServeClient client;
    final String model;
    final Catalog.Variant variant;
    final List<Member> members = new ArrayList<>();

    Group(GroupKey key, KServeClient client, String model, Catalog.Variant variant) {
      this.key = key;
      this.client = client;
      this.model = model;
      this.variant = variant;
    }

    void answer(CallAnswer answer) {
      members.forEach(m -> m.answer.complete(answer));
    }

    void fail(Throwable failure) {
      members.forEach(m -> m.answer.completeExceptionally(failure));
    }
  }

  /** Dispatches for the same model on the same server share a batch. */
  private record GroupKey(String server, String model) {}
}
