package io.surge.operators.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.schema.Dispatch;
import io.surge.schema.InferenceRequest;
import io.surge.schema.InferenceResult;
import io.surge.schema.ResultStatus;
import io.surge.schema.Tensor;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.datastream.AsyncDataStream.OutputMode;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The invoker with micro-batched calls, inside Flink's {@code AsyncWaitOperator}: batched calls the
 * test answers by hand, a manual clock for deadlines. Every case checks that each dispatch yields
 * exactly one result, with its own status and latency.
 */
class MicroBatchingInvokerTest {

  private static final long START = 1_700_000_000_000L;

  /**
   * Long, because a dispatch's own timeout runs on real time (the call's timer) while deadlines use
   * the manual clock: a slow test machine must not time out what the test answers.
   */
  private static final int DEADLINE_MS = 100_000;

  /** Three rows per call; a window long enough that only a full call leaves on its own. */
  private static final MicroBatchSettings THREE_ROWS =
      new MicroBatchSettings(3, Duration.ofSeconds(30));

  private static final InvokerSettings SETTINGS =
      InvokerSettings.defaults().withHealthPollInterval(Duration.ZERO);

  private final ManualClock clock = new ManualClock(START);
  private final BatchCalls calls = new BatchCalls();
  private OneInputStreamOperatorTestHarness<Dispatch, InferenceResult> harness;

  @AfterEach
  void closeHarness() throws Exception {
    calls.batches.forEach(b -> b.answer.completeExceptionally(new ConnectException("test over")));
    drain(harness);
    harness.close();
  }

  @Test
  void dispatchesForOneModelAndServerGoAsOneCallAndEachGetsItsOwnPart() throws Exception {
    harness = open(calls, THREE_ROWS);
    harness.processElement(dispatch("r1", "edge-1", "m"), 0);
    harness.processElement(dispatch("r2", "edge-1", "m"), 0);
    assertThat(calls.batches).as("the call waits to fill up").isEmpty();
    harness.processElement(dispatch("r3", "edge-1", "m"), 0);

    assertThat(calls.batches).hasSize(1);
    assertThat(calls.last().ids()).containsExactly("r1", "r2", "r3");
    assertThat(calls.last().timeout).isEqualTo(Duration.ofMillis(DEADLINE_MS));
    clock.advanceMillis(30_000);
    calls.last().answer.complete(List.of(answer(1), answer(2), answer(3)));
    drain(harness);

    assertThat(harness.extractOutputValues()).hasSize(3);
    for (int i = 1; i <= 3; i++) {
      InferenceResult result = single(harness, "r" + i);
      assertThat(result.getStatus()).isEqualTo(ResultStatus.OK.name());
      assertThat(result.getLatencyMs()).isEqualTo(30_000.0);
      assertThat(result.getQueueMs()).isEqualTo((double) i);
    }
  }

  @Test
  void otherModelsAndServersGetCallsOfTheirOwn() throws Exception {
    harness = open(calls, new MicroBatchSettings(2, Duration.ofSeconds(30)));
    harness.processElement(dispatch("a1", "edge-1", "m"), 0);
    harness.processElement(dispatch("b1", "edge-2", "m"), 0);
    harness.processElement(dispatch("c1", "edge-1", "other"), 0);
    harness.processElement(dispatch("a2", "edge-1", "m"), 0);
    harness.processElement(dispatch("b2", "edge-2", "m"), 0);

    assertThat(calls.batches)
        .extracting(Batch::ids)
        .containsExactly(List.of("a1", "a2"), List.of("b1", "b2"));
  }

  @Test
  void theWindowSendsACallThatDidNotFillUp() throws Exception {
    harness = open(calls, new MicroBatchSettings(16, Duration.ofMillis(1)));
    harness.processElement(dispatch("r1", "edge-1", "m"), 0);

    Batch batch = calls.await(1);
    assertThat(batch.ids()).containsExactly("r1");
    batch.answer.complete(List.of(answer(0)));
    drain(harness);

    assertThat(single(harness, "r1").getStatus()).isEqualTo(ResultStatus.OK.name());
  }

  @Test
  void eachDispatchChecksItsOwnDeadline() throws Exception {
    harness = open(calls, THREE_ROWS);
    harness.processElement(dispatch("early", "edge-1", "m"), 0);
    clock.advanceMillis(40_000);
    harness.processElement(dispatch("mid", "edge-1", "m"), 0);
    clock.advanceMillis(40_000);
    harness.processElement(dispatch("late", "edge-1", "m"), 0);

    // the call may take the largest slack of its dispatches
    assertThat(calls.last().timeout).isEqualTo(Duration.ofMillis(DEADLINE_MS));
    clock.advanceMillis(50_000); // early: 130 s, mid: 90 s, late: 50 s after creation
    calls.last().answer.complete(List.of(answer(0), answer(0), answer(0)));
    drain(harness);

    assertThat(harness.extractOutputValues()).hasSize(3);
    assertThat(single(harness, "early").getStatus()).isEqualTo(ResultStatus.LATE.name());
    assertThat(single(harness, "early").getLatencyMs()).isEqualTo(130_000.0);
    assertThat(single(harness, "mid").getStatus()).isEqualTo(ResultStatus.OK.name());
    assertThat(single(harness, "mid").getLatencyMs()).isEqualTo(90_000.0);
    assertThat(single(harness, "late").getStatus()).isEqualTo(ResultStatus.OK.name());
    assertThat(single(harness, "late").getLatencyMs()).isEqualTo(50_000.0);
  }

  @Test
  void aFailedCallFailsEachOfItsDispatchesOnce() throws Exception {
    harness = open(calls, THREE_ROWS);
    for (String id : List.of("r1", "r2", "r3")) {
      harness.processElement(dispatch(id, "edge-1", "m"), 0);
    }

    calls.last().answer.completeExceptionally(CallFailure.http(500, "HTTP 500: model crashed"));
    drain(harness);

    assertThat(harness.extractOutputValues())
        .hasSize(3)
        .allSatisfy(
            r -> {
              assertThat(r.getStatus()).isEqualTo(ResultStatus.FAILED.name());
              assertThat(r.getError()).contains("model crashed");
            });
    assertThat(harness.extractOutputValues())
        .extracting(InferenceResult::getRequestId)
        .containsExactlyInAnyOrder("r1", "r2", "r3");
  }

  @Test
  void anAnswerWithTheWrongNumberOfPartsFailsEachDispatch() throws Exception {
    harness = open(calls, THREE_ROWS);
    for (String id : List.of("r1", "r2", "r3")) {
      harness.processElement(dispatch(id, "edge-1", "m"), 0);
    }

    calls.last().answer.complete(List.of(answer(0)));
    drain(harness);

    assertThat(harness.extractOutputValues())
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResultStatus.FAILED.name()));
  }

  @Test
  void aPayloadOfManyRowsCountsAsManyAndAFullOneLeavesAlone() throws Exception {
    harness = open(calls, THREE_ROWS);
    harness.processElement(dispatch("one", "edge-1", "m"), 0);
    harness.processElement(withRows(dispatch("two", "edge-1", "m"), 2), 0);
    harness.processElement(withRows(dispatch("three", "edge-1", "m"), 3), 0);
    harness.processElement(withRows(dispatch("next", "edge-1", "m"), 2), 0);

    assertThat(calls.batches)
        .extracting(Batch::ids)
        .containsExactly(List.of("one", "two"), List.of("three"));
  }

  @Test
  void restoredInFlightDispatchesAreBatchedAgainAndYieldOneResultEach() throws Exception {
    harness = open(calls, THREE_ROWS);
    for (String id : List.of("r1", "r2", "r3")) {
      harness.processElement(dispatch(id, "edge-1", "m"), 0);
    }
    OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
    // the task fails: the first call's answer is lost, and its output with it
    calls.last().answer.completeExceptionally(new ConnectException("task failed"));
    drain(harness);
    harness.close();

    BatchCalls restored = new BatchCalls();
    harness = harness(restored, THREE_ROWS);
    harness.initializeState(snapshot);
    harness.open();

    assertThat(restored.batches).hasSize(1);
    assertThat(restored.last().ids()).containsExactlyInAnyOrder("r1", "r2", "r3");
    clock.advanceMillis(20_000);
    restored.last().answer.complete(List.of(answer(0), answer(0), answer(0)));
    drain(harness);

    assertThat(harness.extractOutputValues())
        .extracting(InferenceResult::getRequestId)
        .containsExactlyInAnyOrder("r1", "r2", "r3");
    assertThat(harness.extractOutputValues())
        .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResultStatus.OK.name()));
  }

  // --- helpers

  private static CallAnswer answer(double queueMs) {
    return new CallAnswer(null, queueMs);
  }

  private OneInputStreamOperatorTestHarness<Dispatch, InferenceResult> open(
      BatchCalls batchCalls, MicroBatchSettings settings) throws Exception {
    OneInputStreamOperatorTestHarness<Dispatch, InferenceResult> h = harness(batchCalls, settings);
    h.open();
    return h;
  }

  private OneInputStreamOperatorTestHarness<Dispatch, InferenceResult> harness(
      BatchCalls batchCalls, MicroBatchSettings settings) throws Exception {
    InferenceInvoker invoker =
        new InferenceInvoker(
            MicroBatchingCall.factory(() -> batchCalls, settings), SETTINGS, clock);
    AsyncWaitOperatorFactory<Dispatch, InferenceResult> factory =
        new AsyncWaitOperatorFactory<>(invoker, 10_000, 16, OutputMode.UNORDERED);
    return new OneInputStreamOperatorTestHarness<>(factory, new AvroSerializer<>(Dispatch.class));
  }

  private static void drain(OneInputStreamOperatorTestHarness<?, ?> h) throws Exception {
    TaskMailbox mailbox = h.getTaskMailbox();
    Optional<Mail> mail;
    while ((mail = mailbox.tryTake(TaskMailbox.MIN_PRIORITY)).isPresent()) {
      mail.get().run();
    }
  }

  private static InferenceResult single(
      OneInputStreamOperatorTestHarness<Dispatch, InferenceResult> h, String requestId) {
    List<InferenceResult> matching =
        h.extractOutputValues().stream().filter(r -> r.getRequestId().equals(requestId)).toList();
    assertThat(matching).as("results for %s", requestId).hasSize(1);
    return matching.get(0);
  }

  private Dispatch dispatch(String requestId, String server, String model) {
    long createdAt = clock.millis();
    InferenceRequest request =
        InferenceRequest.newBuilder()
            .setRequestId(requestId)
            .setService("image-classification")
            .setCreatedAt(Instant.ofEpochMilli(createdAt))
            .setDeadlineMs(DEADLINE_MS)
            .build();
    return Dispatch.newBuilder()
        .setRequest(request)
        .setVariant(model)
        .setModel(model)
        .setServer(server)
        .setAccuracy(76.13)
        .setPolicyVersion(7L)
        .setDecidedAt(Instant.ofEpochMilli(createdAt))
        .build();
  }

  private static Dispatch withRows(Dispatch dispatch, long rows) {
    Tensor payload =
        Tensor.newBuilder()
            .setName("input")
            .setDatatype("FP32")
            .setShape(List.of(rows, 4L))
            .setData(java.nio.ByteBuffer.allocate((int) (rows * 16)))
            .build();
    dispatch.getRequest().setPayload(payload);
    return dispatch;
  }

  /** One batched call the invoker made. */
  record Batch(
      List<Dispatch> dispatches, Duration timeout, CompletableFuture<List<CallAnswer>> answer) {
    List<String> ids() {
      return dispatches.stream().map(d -> d.getRequest().getRequestId()).toList();
    }
  }

  /** Batched calls the test answers by hand. */
  static final class BatchCalls implements BatchedInferenceCall {
    final List<Batch> batches = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<List<CallAnswer>> inferBatch(
        List<Dispatch> dispatches, Duration timeout) {
      Batch batch = new Batch(new ArrayList<>(dispatches), timeout, new CompletableFuture<>());
      batches.add(batch);
      return batch.answer;
    }

    @Override
    public CompletableFuture<CallAnswer> infer(Dispatch dispatch, Duration timeout) {
      return inferBatch(List.of(dispatch), timeout).thenApply(list -> list.get(0));
    }

    @Override
    public CompletableFuture<Boolean> ready(String server) {
      return CompletableFuture.completedFuture(true);
    }

    Batch last() {
      return batches.get(batches.size() - 1);
    }

    /** Waits (bounded) for the timer to send the {@code n}th call. */
    Batch await(int n) throws InterruptedException {
      long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (batches.size() < n && System.nanoTime() < giveUp) {
        Thread.sleep(1);
      }
      assertThat(batches).as("calls sent by the window's timer").hasSize(n);
      return batches.get(n - 1);
    }
  }
}
