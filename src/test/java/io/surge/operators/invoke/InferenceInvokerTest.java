package io.surge.operators.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.schema.Dispatch;
import io.surge.schema.InferenceRequest;
import io.surge.schema.InferenceResult;
import io.surge.schema.ResultStatus;
import io.surge.serving.client.ServerUnreachableException;
import io.surge.state.Rewards;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * The invoker inside Flink's {@code AsyncWaitOperator}, with calls the test completes by hand and a
 * manual clock for deadlines. Every case checks that each dispatch yields exactly one result.
 */
class InferenceInvokerTest {

  private static final long START = 1_700_000_000_000L;
  private static final int DEADLINE_MS = 100;

  /** The operator's backstop timeout, in the harness's processing time. */
  private static final long OPERATOR_TIMEOUT_MS = 1_000;

  private static final BreakerSettings BREAKER =
      new BreakerSettings(3, 20, 10, 0.5, Duration.ofMillis(2_000), Duration.ofMillis(500));
  private static final InvokerSettings SETTINGS =
      InvokerSettings.defaults()
          .withHealthPollInterval(Duration.ZERO)
          .withRewards(new Rewards(0.0, -5.0, -10.0))
          .withBreaker(BREAKER);

  private final ManualClock clock = new ManualClock(START);
  private final ControllableCall call = new ControllableCall();
  private OneInputStreamOperatorTestHarness<Dispatch, InferenceResult> harness;

  @AfterEach
  void closeHarness() throws Exception {
    // complete whatever is still open so that closing does not wait for it
    call.calls.forEach(c -> c.answer().completeExceptionally(new ConnectException("test over")));
    drain(harness);
    harness.close();
  }

  @Test
  void anAnswerBeforeTheDeadlineIsOk() throws Exception {
    harness = open(call, clock);
    Dispatch dispatch = dispatch("r1", "edge-1");
    clock.advanceMillis(20);
    harness.processElement(dispatch, 0);

    assertThat(call.calls).hasSize(1);
    assertThat(call.last().timeout()).isEqualTo(Duration.ofMillis(80));

    clock.advanceMillis(30);
    call.last().answer().complete(new CallAnswer(null, 3.5));
    drain(harness);

    InferenceResult result = single(harness, "r1");
    assertThat(result.getStatus()).isEqualTo(ResultStatus.OK.name());
    assertThat(result.getLatencyMs()).isEqualTo(50.0);
    assertThat(result.getQueueMs()).isEqualTo(3.5);
    assertThat(result.getReward()).isEqualTo(76.13);
    assertThat(result.getAccuracy()).isEqualTo(76.13);
    assertThat(result.getVariant()).isEqualTo("resnet50");
    assertThat(result.getServer()).isEqualTo("edge-1");
    assertThat(result.getPolicyVersion()).isEqualTo(7L);
    assertThat(result.getDecidedAt()).isEqualTo(Instant.ofEpochMilli(START + 1));
    assertThat(result.getCompletedAt()).isEqualTo(Instant.ofEpochMilli(START + 50));
    assertThat(result.getError()).isNull();
  }

  @Test
  void anAnswerAfterTheDeadlineIsLate() throws Exception {
    harness = open(call, clock);
    harness.processElement(dispatch("r1", "edge-1"), 0);

    clock.advanceMillis(130);
    call.last().answer().complete(CallAnswer.empty());
    drain(harness);

    InferenceResult result = single(harness, "r1");
    assertThat(result.getStatus()).isEqualTo(ResultStatus.LATE.name());
    assertThat(result.getError()).contains("30.0 ms after the deadline");
    assertThat(result.getReward()).isEqualTo(-5.0);
    assertThat(result.getLatencyMs()).isEqualTo(130.0);
  }

  @Test
  void aCallThatTimesOutAtTheDeadlineIsLate() throws Exception {
    harness = open(call, clock);
    harness.processElement(dispatch("r1", "edge-1"), 0);

    clock.advanceMillis(DEADLINE_MS);
    call.last().answer().completeExceptionally(CallFailure.timeout("no answer in 100 ms"));
    drain(harness);

    InferenceResult result = single(harness, "r1");
    assertThat(result.getStatus()).isEqualTo(ResultStatus.LATE.name());
    assertThat(result.getError()).contains("edge-1", "by the deadline");
    assertThat(result.getReward()).isEqualTo(-5.0);
  }

  @Test
  void theOperatorTimeoutGivesLateAndTheCallsLaterAnswerIsIgnored() throws Exception {
    harness = open(call, clock);
    harness.processElement(dispatch("r1", "edge-1"), 0);
    CompletableFuture<CallAnswer> answer = call.last().answer();

    clock.advanceMillis(OPERATOR_TIMEOUT_MS);
    harness.setProcessingTime(OPERATOR_TIMEOUT_MS);
    answer.complete(CallAnswer.empty());
    drain(harness);

    InferenceResult result = single(harness, "r1");
    assertThat(result.getStatus()).isEqualTo(ResultStatus.LATE.name());
    assertThat(result.getError()).contains("async operator timeout");
    assertThat(answer.isCancelled()).isTrue();
    assertThat(harness.wasFailedExternally()).isFalse();
  }

  @Test
  void anAnswerJustBeforeTheOperatorTimeoutIsTheOnlyResult() throws Exception {
    harness = open(call, clock);
    harness.processElement(dispatch("r1", "edge-1"), 0);

    call.last().answer().complete(CallAnswer.empty());
    harness.setProcessingTime(OPERATOR_TIMEOUT_MS);
    drain(harness);

    assertThat(single(harness, "r1").getStatus()).isEqualTo(ResultStatus.OK.name());
  }

  @Test
  void answersRacingTheOperatorTimeoutYieldExactlyOneResultEach() throws Exception {
    int n = 200;
    harness = harness(invoker(call, clock), 2 * n);
    harness.open();
    for (int i = 0; i < n; i++) {
      harness.processElement(dispatch("r" + i, "server-" + (i % 4)), 0);
    }
    Thread answering =
        new Thread(() -> call.calls.forEach(c -> c.answer().complete(CallAnswer.empty())));

    answering.start();
    harness.setProcessingTime(OPERATOR_TIMEOUT_MS);
    answering.join();
    drain(harness);

    List<InferenceResult> results = harness.extractOutputValues();
    assertThat(results).hasSize(n);
    assertThat(results.stream().map(InferenceResult::getRequestId).distinct()).hasSize(n);
  }

  @Test
  void whenOverloadIsNotAFaultQueueTimeoutsEndLateAndKeepTheBreakerClosed() throws Exception {
    openWithOverloadNotAFault();
    for (int i = 0; i < 5; i++) {
      harness.processElement(dispatch("r" + i, "edge-1"), 0);
      call.last().answer().completeExceptionally(CallFailure.http(503, "Request timeout expired"));
    }
    drain(harness);

    InferenceResult result = single(harness, "r0");
    assertThat(result.getStatus()).isEqualTo(ResultStatus.LATE.name());
    assertThat(result.getError()).isEqualTo("edge-1 answered HTTP 503: Request timeout expired");
    assertThat(result.getReward()).isEqualTo(-5.0);
    // five in a row would open a breaker that counts overload (3 trip it here): edge-1 still called
    harness.processElement(dispatch("r5", "edge-1"), 0);
    assertThat(call.calls).hasSize(6);
    assertThat(call.last().dispatch().getServer()).isEqualTo("edge-1");
  }

  /**
   * Opens the harness on an invoker for which overload is not a server fault (the job's default).
   */
  private void openWithOverloadNotAFault() throws Exception {
    harness =
        open(new InferenceInvoker(() -> call, SETTINGS.withTimeoutsTripBreaker(false), clock));
  }

  /**
   * Dispatches {@code r<from>} to {@code r<to - 1>} to edge-1, each ending in a connect timeout.
   */
  private void connectTimeouts(int from, int to) throws Exception {
    for (int i = from; i < to; i++) {
      harness.processElement(dispatch("r" + i, "edge-1"), 0);
      call.last().answer().completeExceptionally(connectTimeout("edge-1"));
    }
  }

  /** What the JDK client throws when a server accepts no connection in time, as the job sees it. */
  private static Throwable connectTimeout(String server) {
    return KServeInferenceCall.toCallFailure(
        new ServerUnreachableException(
            "connecting to http://" + server + ":8000/v2 timed out",
            new HttpConnectTimeoutException("HTTP connect timed out")));
  }

  @Test
  void aConnectTimeoutToAServerThatAnsweredLatelyIsOverloadAndKeepsTheBreakerClosed()
      throws Exception {
    openWithOverloadNotAFault();
    harness.processElement(dispatch("ok", "edge-1"), 0);
    call.last().answer().complete(CallAnswer.empty());
    clock.advanceMillis(500);
    // the finding of issue 12: a busy server is slow to accept; five in a row (3 trip it here)
    connectTimeouts(0, 5);
    drain(harness);

    InferenceResult result = single(harness, "r0");
    assertThat(result.getStatus()).isEqualTo(ResultStatus.LATE.name());
    assertThat(result.getError()).startsWith("overloaded: edge-1 accepted no connection in time");
    harness.processElement(dispatch("r5", "edge-1"), 0);
    assertThat(call.calls).hasSize(7);
    assertThat(call.last().dispatch().getServer()).isEqualTo("edge-1");
  }

  @Test
  void aConnectTimeoutToAServerSilentForLongerThanTheWindowIsAnOutageAndOpensTheBreaker()
      throws Exception {
    openWithOverloadNotAFault();
    harness.processElement(dispatch("ok", "edge-1"), 0);
    call.last().answer().complete(CallAnswer.empty());
    // a call still waiting: the silence that counts starts with it
    harness.processElement(dispatch("waiting", "edge-1"), 0);
    clock.advanceMillis(InvokerSettings.DEFAULT_RECENT_ANSWER_WINDOW.toMillis() + 1);
    connectTimeouts(0, 3);
    harness.processElement(dispatch("r3", "edge-1"), 0);
    drain(harness);

    InferenceResult result = single(harness, "r0");
    assertThat(result.getStatus()).isEqualTo(ResultStatus.FAILED.name());
    assertThat(result.getError()).startsWith("edge-1 unreachable: connecting to");
    // three failures in a row opened the breaker: r3 was refused without a call
    assertThat(call.calls).hasSize(5);
    assertThat(single(harness, "r3").getError()).isEqualTo("circuit open for server edge-1");
  }

  @Test
  void aColdServerGetsOneWindowToAnswerBeforeConnectTimeoutsCountAsAnOutage() throws Exception {
    openWithOverloadNotAFault();
    // a job's first burst: the server has not answered yet, but its first call was just made
    connectTimeouts(0, 3);
    clock.advanceMillis(InvokerSettings.DEFAULT_RECENT_ANSWER_WINDOW.toMillis() + 1);
    connectTimeouts(3, 6);
    harness.processElement(dispatch("r6", "edge-1"), 0);
    drain(harness);

    assertThat(single(harness, "r2").getStatus()).isEqualTo(ResultStatus.LATE.name());
    assertThat(single(harness, "r3").getStatus()).isEqualTo(ResultStatus.FAILED.name());
    assertThat(single(harness, "r6").getError()).isEqualTo("circuit open for server edge-1");
  }

  @Test
  void aServerAnsweringOnlyOverloadIsAliveSoItsConnectTimeoutsAreOverload() throws Exception {
    openWithOverloadNotAFault();
    // the burst after a restore (issue 12): every answer is a queue timeout, for longer than the
    // window; before, only an OK or LATE answer counted as a sign of life
    long window = InvokerSettings.DEFAULT_RECENT_ANSWER_WINDOW.toMillis();
    for (int i = 0; i <= 2 * window / 500; i++) {
      harness.processElement(dispatch("busy" + i, "edge-1"), 0);
      call.last().answer().completeExceptionally(CallFailure.http(503, "Request timeout expired"));
      clock.advanceMillis(500);
    }
    connectTimeouts(0, 5);
    drain(harness);

    assertThat(single(harness, "r4").getStatus()).isEqualTo(ResultStatus.LATE.name());
    assertThat(single(harness, "r4").getError())
        .startsWith("overloaded: edge-1 accepted no connection in time");
    int calls = call.calls.size();
    harness.processElement(dispatch("r5", "edge-1"), 0);
    assertThat(call.calls).hasSize(calls + 1);
  }

  @Test
  void aServerCalledAgainAfterAQuietSpellGetsOneWindowBeforeConnectTimeoutsCountAsAnOutage()
      throws Exception {
    openWithOverloadNotAFault();
    harness.processElement(dispatch("ok", "edge-1"), 0);
    call.last().answer().complete(CallAnswer.empty());
    // not called for a while (the scheduler routed around it), then a burst: it is silent only
    // since the burst began, not since its last answer
    clock.advanceMillis(6 * InvokerSettings.DEFAULT_RECENT_ANSWER_WINDOW.toMillis());
    connectTimeouts(0, 3);
    clock.advanceMillis(InvokerSettings.DEFAULT_RECENT_ANSWER_WINDOW.toMillis() + 1);
    connectTimeouts(3, 6);
    harness.processElement(dispatch("r6", "edge-1"), 0);
    drain(harness);

    assertThat(single(harness, "r0").getStatus()).isEqualTo(ResultStatus.LATE.name());
    assertThat(single(harness, "r3").getStatus()).isEqualTo(ResultStatus.FAILED.name());
    assertThat(single(harness, "r6").getError()).isEqualTo("circuit open for server edge-1");
  }

  @Test
  void aFullQueueIsOverloadLikeAQueueTimeout() throws Exception {
    openWithOverloadNotAFault();
    for (int i = 0; i < 5; i++) {
      harness.processElement(dispatch("r" + i, "edge-1"), 0);
      call.last()
          .answer()
          .completeExceptionally(CallFailure.http(503, "Exceeds maximum queue size"));
    }
    drain(harness);

    assertThat(single(harness, "r4").getStatus()).isEqualTo(ResultStatus.LATE.name());
    harness.processElement(dispatch("r5", "edge-1"), 0);
    assertThat(call.calls).hasSize(6);
  }

  @Test
  void aServerErrorFailsWithItsText() throws Exception {
    harness = open(call, clock);
    harness.processElement(dispatch("r1", "edge-1"), 0);

    clock.advanceMillis(10);
    call.last().answer().completeExceptionally(CallFailure.http(503, "Request timeout expired"));
    drain(harness);

    InferenceResult result = single(harness, "r1");
    assertThat(result.getStatus()).isEqualTo(ResultStatus.FAILED.name());
    assertThat(result.getError()).isEqualTo("edge-1 answered HTTP 503: Request timeout expired");
    assertThat(result.getReward()).isEqualTo(-10.0);
    assertThat(result.getLatencyMs()).isEqualTo(10.0);
  }

  @Test
  void anUnreachableServerFails() throws Exception {
    harness = open(call, clock);
    harness.processElement(dispatch("r1", "edge-1"), 0);

    call.last().answer().completeExceptionally(new ConnectException("Connection refused"));
    drain(harness);

    InferenceResult result = single(harness, "r1");
    assertThat(result.getStatus()).isEqualTo(ResultStatus.FAILED.name());
    assertThat(result.getError()).isEqualTo("edge-1 unreachable: Connection refused");
  }

  @Test
  void aCallThatThrowsFailsWithoutFailingTheJob() throws Exception {
    InferenceCall throwing =
        new InferenceCall() {
          @Override
          public CompletableFuture<CallAnswer> infer(Dispatch d, Duration timeout) {
            throw new IllegalArgumentException("variant has no input spec");
          }

          @Override
          public CompletableFuture<Boolean> ready(String server) {
            return CompletableFuture.completedFuture(true);
          }
        };
    harness = open(throwing, clock);
    harness.processElement(dispatch("r1", "edge-1"), 0);
    drain(harness);

    InferenceResult result = single(harness, "r1");
    assertThat(result.getStatus()).isEqualTo(ResultStatus.FAILED.name());
    assertThat(result.getError()).contains("variant has no input spec");
    assertThat(harness.wasFailedExternally()).isFalse();
  }

  @Test
  void aDispatchWithoutDeadlineFailsWithoutACall() throws Exception {
    harness = open(call, clock);
    Dispatch noDeadline = dispatch("r1", "edge-1");
    noDeadline.getRequest().setDeadlineMs(null);

    harness.processElement(noDeadline, 0);
    drain(harness);

    assertThat(call.calls).isEmpty();
    assertThat(single(harness, "r1").getError()).contains("no positive deadline_ms");
  }

  @Test
  void theBreakerOpensAfterRepeatedFailuresThenDispatchesFailFast() throws Exception {
    InferenceInvoker invoker = invoker(call, clock);
    harness = open(invoker);
    for (int i = 1; i <= 3; i++) {
      harness.processElement(dispatch("r" + i, "edge-1"), 0);
      call.last().answer().completeExceptionally(CallFailure.http(500, "internal"));
      drain(harness);
    }

    harness.processElement(dispatch("r4", "edge-1"), 0);
    harness.processElement(dispatch("r5", "edge-2"), 0);
    drain(harness);

    assertThat(call.calls).hasSize(4);
    assertThat(call.last().dispatch().getServer()).isEqualTo("edge-2");
    InferenceResult refused = single(harness, "r4");
    assertThat(refused.getStatus()).isEqualTo(ResultStatus.FAILED.name());
    assertThat(refused.getError()).isEqualTo("circuit open for server edge-1");
    assertThat(call.probes).isEmpty();

    call.last().answer().complete(CallAnswer.empty());
    drain(harness);
    assertThat(harness.extractOutputValues()).hasSize(5);
  }

  @Test
  void aReadyProbeAfterTheCoolDownClosesTheBreaker() throws Exception {
    InferenceInvoker invoker = invoker(call, clock);
    harness = open(invoker);
    for (int i = 1; i <= 3; i++) {
      harness.processElement(dispatch("r" + i, "edge-1"), 0);
      call.last().answer().completeExceptionally(new ConnectException("Connection refused"));
      drain(harness);
    }

    clock.advanceMillis(2_000);
    harness.processElement(dispatch("r4", "edge-1"), 0);
    drain(harness);
    assertThat(single(harness, "r4").getError()).isEqualTo("circuit open for server edge-1");
    assertThat(call.probedServers).containsExactly("edge-1");

    call.probes.get(0).complete(true);
    assertThat(invoker.serverHealth().isHealthy("edge-1")).isTrue();

    clock.advanceMillis(1);
    harness.processElement(dispatch("r5", "edge-1"), 0);
    call.last().answer().complete(CallAnswer.empty());
    drain(harness);

    assertThat(call.calls).hasSize(4);
    assertThat(single(harness, "r5").getStatus()).isEqualTo(ResultStatus.OK.name());
    assertThat(harness.extractOutputValues()).hasSize(5);
  }

  @Test
  void aBackgroundPollProbesAServerThatReceivesNoCalls() throws Exception {
    // the scheduler routes around an open server, so no dispatch would trigger its probe
    InferenceInvoker invoker =
        new InferenceInvoker(
            () -> call, SETTINGS.withHealthPollInterval(Duration.ofMillis(5)), clock);
    harness = open(invoker);
    for (int i = 1; i <= 3; i++) {
      harness.processElement(dispatch("r" + i, "edge-1"), 0);
      call.last().answer().completeExceptionally(CallFailure.http(502, "bad gateway"));
      drain(harness);
    }

    clock.advanceMillis(2_000);

    awaitProbe(call);
    call.probes.get(0).complete(true);
    // the poller thread may register its callback after the answer: it then runs there
    long until = System.nanoTime() + 5_000_000_000L;
    while (!invoker.serverHealth().isHealthy("edge-1") && System.nanoTime() < until) {
      Thread.sleep(1);
    }
    assertThat(invoker.serverHealth().isHealthy("edge-1")).isTrue();
  }

  @Test
  void aClientErrorDoesNotOpenTheBreaker() throws Exception {
    InferenceInvoker invoker = invoker(call, clock);
    harness = open(invoker);
    for (int i = 1; i <= 5; i++) {
      harness.processElement(dispatch("r" + i, "edge-1"), 0);
      call.last().answer().completeExceptionally(CallFailure.http(400, "bad shape"));
      drain(harness);
    }

    assertThat(invoker.serverHealth().isHealthy("edge-1")).isTrue();
    assertThat(harness.extractOutputValues())
        .hasSize(5)
        .allSatisfy(r -> assertThat(r.getError()).contains("HTTP 400: bad shape"));
  }

  @Test
  void aRestoredInFlightDispatchIsCalledAgainAndYieldsOneResult() throws Exception {
    harness = open(call, clock);
    harness.processElement(dispatch("r1", "edge-1"), 0);
    OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
    // the first attempt's answer is lost with the failed task; its output is discarded
    call.last().answer().completeExceptionally(new ConnectException("task failed"));
    drain(harness);
    harness.close();

    ControllableCall restoredCall = new ControllableCall();
    harness = harness(invoker(restoredCall, clock));
    harness.initializeState(snapshot);
    harness.open();

    assertThat(restoredCall.calls).hasSize(1);
    assertThat(restoredCall.last().dispatch().getRequest().getRequestId()).isEqualTo("r1");
    clock.advanceMillis(40);
    restoredCall.last().answer().complete(CallAnswer.empty());
    drain(harness);

    assertThat(single(harness, "r1").getStatus()).isEqualTo(ResultStatus.OK.name());
    assertThat(call.closed).isTrue();
  }

  // --- helpers

  private static InferenceInvoker invoker(InferenceCall call, ManualClock clock) {
    return new InferenceInvoker(() -> call, SETTINGS, clock);
  }

  private static OneInputStreamOperatorTestHarness<Dispatch, InferenceResult> open(
      InferenceCall call, ManualClock clock) throws Exception {
    return open(invoker(call, clock));
  }

  private static OneInputStreamOperatorTestHarness<Dispatch, InferenceResult> open(
      InferenceInvoker invoker) throws Exception {
    OneInputStreamOperatorTestHarness<Dispatch, InferenceResult> h = harness(invoker);
    h.open();
    return h;
  }

  private static OneInputStreamOperatorTestHarness<Dispatch, InferenceResult> harness(
      InferenceInvoker invoker) throws Exception {
    return harness(invoker, 16);
  }

  private static OneInputStreamOperatorTestHarness<Dispatch, InferenceResult> harness(
      InferenceInvoker invoker, int capacity) throws Exception {
    AsyncWaitOperatorFactory<Dispatch, InferenceResult> factory =
        new AsyncWaitOperatorFactory<>(
            invoker, OPERATOR_TIMEOUT_MS, capacity, OutputMode.UNORDERED);
    return new OneInputStreamOperatorTestHarness<>(factory, new AvroSerializer<>(Dispatch.class));
  }

  /** Runs the mails the async results posted, as the task's mailbox thread would. */
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

  private static void awaitProbe(ControllableCall call) throws InterruptedException {
    long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (call.probes.isEmpty() && System.nanoTime() < giveUp) {
      Thread.sleep(1);
    }
    assertThat(call.probes).as("probe started by the background poll").hasSize(1);
  }

  /** A dispatch of a request created now, decided 1 ms later. */
  private Dispatch dispatch(String requestId, String server) {
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
        .setVariant("resnet50")
        .setModel("resnet50")
        .setServer(server)
        .setAccuracy(76.13)
        .setPolicyVersion(7L)
        .setDecidedAt(Instant.ofEpochMilli(createdAt + 1))
        .build();
  }
}
