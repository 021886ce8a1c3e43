package io.surge.operators.invoke;

import io.surge.schema.Dispatch;
import io.surge.schema.InferenceRequest;
import io.surge.schema.Tensor;
import io.surge.serving.client.InferOptions;
import io.surge.serving.client.InferenceClient;
import io.surge.serving.client.InferenceClients;
import io.surge.serving.client.InferenceServerException;
import io.surge.serving.client.InferenceTimeoutException;
import io.surge.serving.client.InferenceTransportException;
import io.surge.serving.client.MalformedResponseException;
import io.surge.serving.client.ServerUnreachableException;
import io.surge.serving.protocol.Datatype;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.InferResponse;
import io.surge.serving.protocol.InferTensor;
import io.surge.state.ServiceTopology;
import io.surge.state.catalog.Catalog;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The production {@link InferenceCall}: KServe v2 with one {@link InferenceClient} per catalog
 * server, over HTTP or gRPC as the server's URL says ({@code http://} or {@code grpc://}); each
 * client keeps its connections (one HTTP/2 channel for gRPC) for all calls. The input is the
 * request's payload, or a zero tensor of the variant's input spec when the payload is null (load
 * tests); the request's priority and the remaining slack go to the server as schedule_policy
 * parameters where it supports them.
 */
public final class KServeInferenceCall implements BatchedInferenceCall {

  /**
   * Response parameter read as the server-side queue time in milliseconds, where a server sets it
   * (KServe v2 defines none; Triton reports queue time only in its statistics).
   */
  public static final String QUEUE_MS_PARAMETER = "queue_ms";

  private final Map<String, InferenceClient> clients = new HashMap<>();
  private final Map<String, ServiceTopology> topologies;

  /**
   * The zero input of each variant, made once: a load test sends thousands of null payloads a
   * second, and a fresh zero tensor each (12 KB for the generated ladder) was the largest
   * allocation of the whole job. The buffer is read-only, so sharing it is safe.
   */
  private final Map<Catalog.Variant, InferTensor> zeroInputs = new ConcurrentHashMap<>();

  private final boolean includeOutputs;

  /**
   * @param clientOf makes the client of a server from its catalog URL
   * @param includeOutputs whether results carry the model outputs (they go to Kafka: large)
   */
  public KServeInferenceCall(
      Catalog catalog, Function<URI, InferenceClient> clientOf, boolean includeOutputs) {
    this.includeOutputs = includeOutputs;
    for (Catalog.Server server : catalog.servers()) {
      clients.put(server.name(), clientOf.apply(URI.create(server.url())));
    }
    this.topologies = ServiceTopology.byService(catalog);
  }

  /**
   * A serializable factory for the job graph: it carries the catalog as YAML and builds the clients
   * in the task.
   */
  public static InferenceCallFactory factory(
      Catalog catalog, Duration connectTimeout, boolean includeOutputs) {
    return new Factory(catalog.toYaml(), connectTimeout, includeOutputs);
  }

  @Override
  public CompletableFuture<CallAnswer> infer(Dispatch dispatch, Duration timeout) {
    InferenceClient client = clients.get(dispatch.getServer());
    if (client == null) {
      return failed("server '" + dispatch.getServer() + "' is not in the catalog");
    }
    InferRequest request;
    try {
      request = requestOf(dispatch);
    } catch (IllegalArgumentException e) {
      return failed(e.getMessage());
    }
    InferOptions options =
        InferOptions.defaults().withTimeout(timeout).withPriority(priorityOf(dispatch));
    CompletableFuture<CallAnswer> answer = new CompletableFuture<>();
    client
        .infer(dispatch.getModel(), null, request, options)
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                answer.completeExceptionally(toCallFailure(error));
              } else {
                answer.complete(answerOf(response));
              }
            });
    return answer;
  }

  /**
   * One call for dispatches of the same model on the same server: their inputs concatenated along
   * the batch dimension (the first), the outputs cut back into each dispatch's rows. Dispatches
   * whose inputs cannot be joined (another tensor name, datatype or row shape) go as single calls.
   */
  @Override
  public CompletableFuture<List<CallAnswer>> inferBatch(
      List<Dispatch> dispatches, Duration timeout) {
    if (dispatches.size() == 1) {
      return infer(dispatches.get(0), timeout).thenApply(List::of);
    }
    Dispatch first = dispatches.get(0);
    InferenceClient client = clients.get(first.getServer());
    if (client == null) {
      return failed("server '" + first.getServer() + "' is not in the catalog");
    }
    List<InferTensor> inputs = new ArrayList<>(dispatches.size());
    try {
      for (Dispatch d : dispatches) {
        inputs.add(requestOf(d).inputs().get(0));
      }
    } catch (IllegalArgumentException e) {
      return failed(e.getMessage());
    }
    InferTensor joined = BatchTensors.concat(inputs);
    if (joined == null) {
      return oneByOne(dispatches, timeout);
    }
    String id = first.getRequest().getRequestId() + "+" + (dispatches.size() - 1);
    InferRequest request = new InferRequest(id, Map.of(), List.of(joined), List.of());
    long priority = 0;
    for (Dispatch d : dispatches) {
      priority = Math.max(priority, priorityOf(d));
    }
    InferOptions options = InferOptions.defaults().withTimeout(timeout).withPriority(priority);
    int[] rows = BatchTensors.rows(inputs);
    CompletableFuture<List<CallAnswer>> answers = new CompletableFuture<>();
    client
        .infer(first.getModel(), null, request, options)
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                answers.completeExceptionally(toCallFailure(error));
                return;
              }
              try {
                answers.complete(split(response, rows));
              } catch (IllegalArgumentException e) {
                answers.completeExceptionally(CallFailure.protocol(e.getMessage(), e));
              }
            });
    return answers;
  }

  private CompletableFuture<List<CallAnswer>> oneByOne(
      List<Dispatch> dispatches, Duration timeout) {
    List<CompletableFuture<CallAnswer>> each = new ArrayList<>();
    for (Dispatch d : dispatches) {
      each.add(infer(d, timeout));
    }
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(ignored -> each.stream().map(CompletableFuture::join).toList());
  }

  /** Each dispatch's rows of every output, with the call's queue time. */
  private List<CallAnswer> split(InferResponse response, int[] rows) {
    Object queueMs = response.parameters().get(QUEUE_MS_PARAMETER);
    Double queue = queueMs instanceof Number n ? n.doubleValue() : null;
    List<List<InferTensor>> parts = BatchTensors.split(response.outputs(), rows);
    List<CallAnswer> answers = new ArrayList<>(rows.length);
    for (List<InferTensor> part : parts) {
      answers.add(new CallAnswer(includeOutputs ? tensorsOf(part) : null, queue));
    }
    return answers;
  }

  /** Closes every server's client (gRPC channels hold connections and threads). */
  @Override
  public void close() {
    clients.values().forEach(InferenceClient::close);
  }

  @Override
  public CompletableFuture<Boolean> ready(String server) {
    InferenceClient client = clients.get(server);
    return client == null ? CompletableFuture.completedFuture(false) : client.ready();
  }

  private InferRequest requestOf(Dispatch dispatch) {
    InferenceRequest request = dispatch.getRequest();
    Catalog.Variant variant = variantOf(dispatch);
    InferTensor input =
        request.getPayload() != null
            ? fromPayload(request.getPayload(), variant)
            : zeroInputOf(variant, request.getService(), dispatch.getVariant());
    return new InferRequest(request.getRequestId(), Map.of(), List.of(input), List.of());
  }

  /** The payload as sent, named after the chosen variant's input where the catalog says it. */
  static InferTensor fromPayload(Tensor payload, Catalog.Variant variant) {
    String name =
        variant != null && variant.input() != null ? variant.input().name() : payload.getName();
    long[] shape = payload.getShape().stream().mapToLong(Long::longValue).toArray();
    return new InferTensor(
        name, Datatype.parse(payload.getDatatype()), shape, payload.getData().duplicate());
  }

  private InferTensor zeroInputOf(Catalog.Variant variant, String service, String variantName) {
    if (variant == null) {
      return zeroInput(null, service, variantName); // throws, naming the variant
    }
    return zeroInputs.computeIfAbsent(variant, v -> zeroInput(v, service, variantName));
  }

  /**
   * A zero tensor of the variant's input spec with a batch dimension of 1. All-zero bytes are also
   * valid BYTES data: every element is an empty string.
   */
  static InferTensor zeroInput(Catalog.Variant variant, String service, String variantName) {
    if (variant == null || variant.input() == null) {
      throw new IllegalArgumentException(
          "no payload and no input spec for variant '" + variantName + "' of '" + service + "'");
    }
    Catalog.TensorSpec spec = variant.input();
    Datatype datatype = Datatype.parse(spec.datatype());
    long[] shape = new long[spec.shape().size() + 1];
    shape[0] = 1;
    for (int i = 0; i < spec.shape().size(); i++) {
      shape[i + 1] = spec.shape().get(i);
    }
    int elementBytes = datatype == Datatype.BYTES ? 4 : datatype.byteSize();
    long bytes = Math.multiplyExact(InferTensor.elementCount(shape), elementBytes);
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("input spec of '" + variantName + "' is too large");
    }
    ByteBuffer zeros =
        ByteBuffer.allocate((int) bytes).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    return new InferTensor(spec.name(), datatype, shape, zeros);
  }

  private CallAnswer answerOf(InferResponse response) {
    Object queueMs = response.parameters().get(QUEUE_MS_PARAMETER);
    Double queue = queueMs instanceof Number n ? n.doubleValue() : null;
    return new CallAnswer(includeOutputs ? tensorsOf(response.outputs()) : null, queue);
  }

  private static List<Tensor> tensorsOf(List<InferTensor> outputs) {
    List<Tensor> out = new ArrayList<>(outputs.size());
    for (InferTensor t : outputs) {
      List<Long> shape = new ArrayList<>(t.shape().length);
      for (long d : t.shape()) {
        shape.add(d);
      }
      out.add(
          Tensor.newBuilder()
              .setName(t.name())
              .setDatatype(t.datatype().name())
              .setShape(shape)
              .setData(t.data().duplicate())
              .build());
    }
    return out;
  }

  /** Maps the client's typed exceptions to what the invoker understands. */
  public static Throwable toCallFailure(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof InferenceTimeoutException) {
      return CallFailure.timeout(t.getMessage());
    }
    if (t instanceof ServerUnreachableException u && u.isConnectTimeout()) {
      return CallFailure.connectTimeout(t.getMessage(), t);
    }
    if (t instanceof ServerUnreachableException || t instanceof InferenceTransportException) {
      return CallFailure.unreachable(t.getMessage(), t);
    }
    if (t instanceof InferenceServerException e) {
      return CallFailure.http(e.status(), e.getMessage());
    }
    if (t instanceof MalformedResponseException) {
      return CallFailure.protocol(t.getMessage(), t);
    }
    if (t instanceof IllegalArgumentException) {
      // the client could not encode the request
      return CallFailure.invalidRequest(t.getMessage(), t);
    }
    return t;
  }

  private static long priorityOf(Dispatch dispatch) {
    Integer priority = dispatch.getRequest().getPriority();
    return priority == null || priority < 0 ? 0 : priority;
  }

  private static <T> CompletableFuture<T> failed(String message) {
    return CompletableFuture.failedFuture(CallFailure.invalidRequest(message, null));
  }

  /** The catalog's variant a dispatch names, or null when the catalog has no such variant. */
  private Catalog.Variant variantOf(Dispatch dispatch) {
    ServiceTopology topology = topologies.get(dispatch.getRequest().getService());
    return topology == null ? null : topology.variant(dispatch.getVariant());
  }

  /** Builds the call in the task from the catalog's YAML. */
  private record Factory(String catalogYaml, Duration connectTimeout, boolean includeOutputs)
      implements InferenceCallFactory {

    @Override
    public InferenceCall create() {
      Catalog catalog = Catalog.parse(catalogYaml);
      return new KServeInferenceCall(
          catalog,
          uri -> InferenceClients.builder(uri).connectTimeout(connectTimeout).build(),
          includeOutputs);
    }
  }
}
