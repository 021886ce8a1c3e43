package io.surge.operators.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.operators.invoke.CallFailure.Kind;
import io.surge.schema.Dispatch;
import io.surge.schema.InferenceRequest;
import io.surge.schema.Tensor;
import io.surge.serving.engine.ModelExecutor;
import io.surge.serving.engine.ModelInfo;
import io.surge.serving.engine.ModelInfo.TensorMetadata;
import io.surge.serving.engine.ModelStatistics;
import io.surge.serving.protocol.InferTensor;
import io.surge.serving.server.InferenceGrpcServer;
import io.surge.serving.server.InferenceHttpServer;
import io.surge.serving.server.ServerOptions;
import io.surge.state.catalog.Catalog;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The KServe call against Surge's real HTTP inference server over a hand-written executor. */
class KServeInferenceCallTest {

  private final EchoExecutor executor = new EchoExecutor();
  private InferenceHttpServer server;
  private InferenceGrpcServer grpcServer;
  private InferenceCall call;

  @BeforeEach
  void start() throws Exception {
    server = InferenceHttpServer.start(executor, ServerOptions.defaults().withPort(0));
    grpcServer = InferenceGrpcServer.start(executor, ServerOptions.defaults().withPort(0));
    Catalog catalog =
        new Catalog(
            List.of(
                new Catalog.Service(
                    "classify",
                    100,
                    List.of(
                        new Catalog.Variant(
                            "small",
                            "m-small",
                            70.0,
                            new Catalog.TensorSpec("INPUT0", "FP32", List.of(4L)),
                            "OUTPUT0")))),
            List.of(
                new Catalog.Server("edge-1", server.baseUri().toString(), List.of("m-small")),
                // nothing listens on port 1
                new Catalog.Server("edge-down", "http://127.0.0.1:1", List.of("m-small")),
                // the same executor over KServe v2 gRPC
                new Catalog.Server(
                    "edge-grpc", grpcServer.baseUri().toString(), List.of("m-small")),
                new Catalog.Server("edge-grpc-down", "grpc://127.0.0.1:1", List.of("m-small"))));
    call = KServeInferenceCall.factory(catalog, Duration.ofSeconds(2), true).create();
  }

  @AfterEach
  void stop() throws Exception {
    executor.release.countDown();
    call.close();
    grpcServer.close();
    server.close();
  }

  @Test
  void aNullPayloadSendsAZeroTensorOfTheVariantsInputWithPriorityAndTimeout() throws Exception {
    CallAnswer answer =
        call.infer(dispatch("edge-1", null, 3), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);

    InferTensor sent = executor.lastInput.get();
    assertThat(sent.name()).isEqualTo("INPUT0");
    assertThat(sent.shape()).containsExactly(1, 4);
    assertThat(sent.asFloats()).containsExactly(0f, 0f, 0f, 0f);
    assertThat(executor.lastPriority.get()).isEqualTo(3);
    assertThat(executor.lastTimeoutMicros.get()).isPositive().isLessThanOrEqualTo(5_000_000L);
    assertThat(answer.outputs()).hasSize(1);
    assertThat(answer.outputs().get(0).getName()).isEqualTo("OUTPUT0");
  }

  @Test
  void theSharedZeroInputIsWholeInEveryCallSingleOrBatchedOverHttpAndGrpc() throws Exception {
    // the zero tensor is made once per variant: reading it for one call must not use it up
    for (String server : List.of("edge-1", "edge-grpc", "edge-1")) {
      call.infer(dispatch(server, null, null), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
      assertThat(executor.lastInput.get().asFloats()).containsExactly(0f, 0f, 0f, 0f);

      ((BatchedInferenceCall) call)
          .inferBatch(
              List.of(dispatch(server, null, null), dispatch(server, null, null)),
              Duration.ofSeconds(5))
          .get(10, TimeUnit.SECONDS);
      assertThat(executor.lastInput.get().shape()).containsExactly(2, 4);
      assertThat(executor.lastInput.get().asFloats()).containsOnly(0f).hasSize(8);
    }
  }

  @Test
  void aPayloadIsSentAsItIs() throws Exception {
    ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    data.putFloat(1f).putFloat(2f).putFloat(3f).putFloat(4f).flip();
    Tensor payload =
        Tensor.newBuilder()
            .setName("INPUT0")
            .setDatatype("FP32")
            .setShape(List.of(1L, 4L))
            .setData(data)
            .build();

    CallAnswer answer =
        call.infer(dispatch("edge-1", payload, null), Duration.ofSeconds(5))
            .get(10, TimeUnit.SECONDS);

    assertThat(executor.lastInput.get().asFloats()).containsExactly(1f, 2f, 3f, 4f);
    ByteBuffer out = answer.outputs().get(0).getData().order(ByteOrder.LITTLE_ENDIAN);
    assertThat(out.getFloat(12)).isEqualTo(4f);
  }

  @Test
  void aServerErrorBecomesAnHttpFailureWithItsText() {
    executor.nextFailure.set(
        new ModelExecutor.ExecutionException(503, "Exceeds maximum queue size"));

    CallFailure failure = failureOf(call.infer(dispatch("edge-1", null, null), seconds(5)));

    assertThat(failure.kind()).isEqualTo(Kind.HTTP_ERROR);
    assertThat(failure.httpStatus()).isEqualTo(503);
    assertThat(failure.getMessage()).isEqualTo("Exceeds maximum queue size");
  }

  @Test
  void aGrpcServerOfTheCatalogIsCalledOverGrpcSingleAndBatched() throws Exception {
    CallAnswer one =
        call.infer(dispatch("edge-grpc", null, 2), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
    assertThat(executor.lastPriority.get()).isEqualTo(2);
    assertThat(executor.lastTimeoutMicros.get()).isPositive().isLessThanOrEqualTo(5_000_000L);
    assertThat(one.outputs().get(0).getName()).isEqualTo("OUTPUT0");

    List<CallAnswer> batch =
        ((BatchedInferenceCall) call)
            .inferBatch(
                List.of(dispatch("edge-grpc", null, null), dispatch("edge-grpc", null, null)),
                Duration.ofSeconds(5))
            .get(10, TimeUnit.SECONDS);
    assertThat(executor.lastInput.get().shape()).containsExactly(2, 4);
    assertThat(batch).hasSize(2);
    assertThat(batch.get(1).outputs().get(0).getShape()).containsExactly(1L, 4L);
    assertThat(call.ready("edge-grpc").get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void grpcErrorsBecomeTheSameFailuresAsHttpOnes() {
    executor.nextFailure.set(
        new ModelExecutor.ExecutionException(503, "Exceeds maximum queue size"));
    CallFailure queueFull = failureOf(call.infer(dispatch("edge-grpc", null, null), seconds(5)));
    CallFailure down = failureOf(call.infer(dispatch("edge-grpc-down", null, null), seconds(5)));

    assertThat(queueFull.kind()).isEqualTo(Kind.HTTP_ERROR);
    assertThat(queueFull.httpStatus()).isEqualTo(503);
    assertThat(queueFull.getMessage()).isEqualTo("Exceeds maximum queue size");
    assertThat(down.kind()).isEqualTo(Kind.UNREACHABLE);
  }

  @Test
  void aServerThatIsNotThereIsUnreachable() {
    CallFailure failure = failureOf(call.infer(dispatch("edge-down", null, null), seconds(5)));

    assertThat(failure.kind()).isEqualTo(Kind.UNREACHABLE);
  }

  @Test
  void noAnswerWithinTheSlackIsATimeout() {
    executor.hold = true;

    CallFailure failure =
        failureOf(call.infer(dispatch("edge-1", null, null), Duration.ofMillis(200)));

    assertThat(failure.kind()).isEqualTo(Kind.TIMEOUT);
  }

  @Test
  void anUnknownServerIsAnInvalidRequestAndNothingIsSent() {
    CallFailure failure = failureOf(call.infer(dispatch("edge-9", null, null), seconds(5)));

    assertThat(failure.kind()).isEqualTo(Kind.INVALID_REQUEST);
    assertThat(failure.getMessage()).contains("edge-9");
    assertThat(executor.lastInput.get()).isNull();
  }

  @Test
  void theProbeAsksTheReadyEndpoint() throws Exception {
    assertThat(call.ready("edge-1").get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(call.ready("edge-9").get(10, TimeUnit.SECONDS)).isFalse();
    assertThatThrownBy(() -> call.ready("edge-down").get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class);
  }

  @Test
  void aMissingInputSpecWithoutPayloadIsAClearError() {
    Catalog.Variant bare = new Catalog.Variant("bare", "m", 50.0, null, null);

    assertThatThrownBy(() -> KServeInferenceCall.zeroInput(bare, "classify", "bare"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no input spec for variant 'bare'");
  }

  private static Duration seconds(int s) {
    return Duration.ofSeconds(s);
  }

  private static CallFailure failureOf(CompletableFuture<CallAnswer> future) {
    Throwable thrown = null;
    try {
      future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      thrown = e.getCause();
    } catch (Exception e) {
      thrown = e;
    }
    assertThat(thrown).isInstanceOf(CallFailure.class);
    return (CallFailure) thrown;
  }

  private static Dispatch dispatch(String server, Tensor payload, Integer priority) {
    InferenceRequest request =
        InferenceRequest.newBuilder()
            .setRequestId("r1")
            .setService("classify")
            .setCreatedAt(Instant.now())
            .setDeadlineMs(100)
            .setPriority(priority)
            .setPayload(payload)
            .build();
    return Dispatch.newBuilder()
        .setRequest(request)
        .setVariant("small")
        .setModel("m-small")
        .setServer(server)
        .setAccuracy(70.0)
        .setPolicyVersion(1L)
        .setDecidedAt(Instant.now())
        .build();
  }

  /** Echoes its input as OUTPUT0; can fail the next call or hold calls until released. */
  private static final class EchoExecutor implements ModelExecutor {
    private final ModelInfo model =
        new ModelInfo(
            "m-small",
            "1",
            "onnxruntime_onnx",
            List.of(new TensorMetadata("INPUT0", "FP32", new long[] {-1, 4})),
            List.of(new TensorMetadata("OUTPUT0", "FP32", new long[] {-1, 4})),
            8,
            Map.of());
    final AtomicReference<InferTensor> lastInput = new AtomicReference<>();
    final AtomicReference<Integer> lastPriority = new AtomicReference<>();
    final AtomicReference<Long> lastTimeoutMicros = new AtomicReference<>();
    final AtomicReference<RuntimeException> nextFailure = new AtomicReference<>();
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean hold;

    @Override
    public Collection<ModelInfo> models() {
      return List.of(model);
    }

    @Override
    public ModelInfo model(String name) {
      return model.name().equals(name) ? model : null;
    }

    @Override
    public CompletableFuture<ExecutionResult> infer(
        String name,
        List<InferTensor> inputs,
        List<String> outputNames,
        long timeoutMicros,
        int priority) {
      RuntimeException failure = nextFailure.getAndSet(null);
      if (failure != null) {
        return CompletableFuture.failedFuture(failure);
      }
      InferTensor in = inputs.get(0);
      lastInput.set(in);
      lastPriority.set(priority);
      lastTimeoutMicros.set(timeoutMicros);
      ExecutionResult result =
          new ExecutionResult(
              List.of(InferTensor.fp32("OUTPUT0", in.shape(), in.asFloats())), 0, 0);
      if (!hold) {
        return CompletableFuture.completedFuture(result);
      }
      return CompletableFuture.supplyAsync(
          () -> {
            awaitRelease();
            return result;
          });
    }

    private void awaitRelease() {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public ModelStatistics statistics(String name) {
      return null;
    }

    @Override
    public void close() {}
  }
}
