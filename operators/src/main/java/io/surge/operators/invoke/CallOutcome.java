package io.surge.operators.invoke;

import io.surge.schema.ResultStatus;
import io.surge.schema.Tensor;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * How one dispatch ended, before it becomes an {@code InferenceResult}; and what the server's
 * circuit breaker should make of it.
 */
record CallOutcome(
    ResultStatus status, String error, Double queueMs, List<Tensor> outputs, Verdict verdict) {

  /** What an outcome says about the server's health. */
  enum Verdict {
    /** The server answered. */
    SUCCESS,
    /**
     * The server answered that it is too busy (a queue timeout, a full queue), or refused the
     * request (4xx): it is up, and the answer is neither a success nor a fault.
     */
    ANSWERED,
    /** The server answered with a fault (a 5xx, an invalid response): it is up but failing. */
    ANSWERED_FAILURE,
    /** The server failed and did not answer (unreachable, or a timeout when those count). */
    FAILURE,
    /** Says nothing about the server (a bad request, a call never made). */
    NEUTRAL
  }

  /** An answer: OK if it came back by the deadline, else LATE. */
  static CallOutcome answered(CallAnswer answer, double msPastDeadline) {
    if (msPastDeadline <= 0) {
      return new CallOutcome(
          ResultStatus.OK, null, answer.queueMs(), answer.outputs(), Verdict.SUCCESS);
    }
    String error = String.format("answered %.1f ms after the deadline", msPastDeadline);
    return new CallOutcome(
        ResultStatus.LATE, error, answer.queueMs(), answer.outputs(), Verdict.SUCCESS);
  }

  /** A FAILED outcome that was decided without calling the server. */
  static CallOutcome refused(String error) {
    return new CallOutcome(ResultStatus.FAILED, error, null, null, Verdict.NEUTRAL);
  }

  /** No answer by the deadline: LATE. */
  static CallOutcome timedOut(String error, boolean countsAsFailure) {
    return new CallOutcome(
        ResultStatus.LATE, error, null, null, countsAsFailure ? Verdict.FAILURE : Verdict.NEUTRAL);
  }

  /** Maps a failed call to its outcome; {@code server} names the server in the error text. */
  static CallOutcome ofFailure(Throwable thrown, String server, boolean timeoutsAreFailures) {
    return ofFailure(thrown, server, timeoutsAreFailures, false);
  }

  /**
   * Maps a failed call to its outcome.
   *
   * @param answeredRecently whether the server answered anything lately, or has been called only
   *     lately: then a connect timeout is a busy server's slow accept (overload), not an outage
   */
  static CallOutcome ofFailure(
      Throwable thrown, String server, boolean timeoutsAreFailures, boolean answeredRecently) {
    Throwable cause = unwrap(thrown);
    if (cause instanceof CallFailure failure) {
      if (failure.kind() == CallFailure.Kind.CONNECT_TIMEOUT) {
        return ofConnectTimeout(failure, server, timeoutsAreFailures, answeredRecently);
      }
      return ofCallFailure(failure, server, timeoutsAreFailures);
    }
    if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
      return timedOut("no answer from " + server + " by the deadline", timeoutsAreFailures);
    }
    if (cause instanceof CancellationException) {
      return refused("call to " + server + " cancelled");
    }
    if (cause instanceof IOException) {
      return failed(server + " unreachable: " + describe(cause));
    }
    return failed("call to " + server + " failed: " + describe(cause));
  }

  private static CallOutcome ofCallFailure(
      CallFailure failure, String server, boolean timeoutsAreFailures) {
    return switch (failure.kind()) {
      case TIMEOUT ->
          timedOut(
              "no answer from " + server + " by the deadline: " + failure.getMessage(),
              timeoutsAreFailures);
      case UNREACHABLE, CONNECT_TIMEOUT -> failed(server + " unreachable: " + failure.getMessage());
      case PROTOCOL ->
          new CallOutcome(
              ResultStatus.FAILED,
              server + " answered an invalid response: " + failure.getMessage(),
              null,
              null,
              Verdict.ANSWERED_FAILURE);
      case HTTP_ERROR -> ofHttpError(failure, server, timeoutsAreFailures);
      case INVALID_REQUEST -> refused("cannot call " + server + ": " + failure.getMessage());
    };
  }

  /**
   * A connection the server did not accept in time. To a server that answered lately this is
   * overload: the embedded server (and any busy one) accepts slowly while its threads are taken,
   * and a healthy server tripped its breaker that way (issue 12). Like a queue timeout it ends LATE
   * and leaves the breaker alone, unless overload is configured to count as a fault. To a server
   * with no recent answer it is an outage: FAILED, and the breaker counts it.
   */
  private static CallOutcome ofConnectTimeout(
      CallFailure failure, String server, boolean timeoutsAreFailures, boolean answeredRecently) {
    if (timeoutsAreFailures || !answeredRecently) {
      return failed(server + " unreachable: " + failure.getMessage());
    }
    return new CallOutcome(
        ResultStatus.LATE,
        "overloaded: "
            + server
            + " accepted no connection in time (not silent long enough to be down): "
            + failure.getMessage(),
        null,
        null,
        Verdict.NEUTRAL);
  }

  private static CallOutcome ofHttpError(
      CallFailure failure, String server, boolean timeoutsAreFailures) {
    String error = server + " answered HTTP " + failure.httpStatus() + ": " + failure.getMessage();
    if (!timeoutsAreFailures && isQueueTimeout(failure)) {
      // overload, not a fault: the request missed its deadline waiting in the server's queue, or
      // the queue was full; the answer still shows the server is up (issue 12: a server answering
      // only these under a burst had its later connect timeouts taken for an outage)
      return new CallOutcome(ResultStatus.LATE, error, null, null, Verdict.ANSWERED);
    }
    // a 4xx is the request's fault, not the server's: it must not open the breaker
    Verdict verdict = failure.isServerError() ? Verdict.ANSWERED_FAILURE : Verdict.ANSWERED;
    return new CallOutcome(ResultStatus.FAILED, error, null, null, verdict);
  }

  /**
   * Triton's (and the embedded server's) answers of overload: a request whose queue timeout
   * expired, or one refused because the model's queue is full.
   */
  private static boolean isQueueTimeout(CallFailure failure) {
    return failure.httpStatus() == 503
        && failure.getMessage() != null
        && (failure.getMessage().contains("Request timeout expired")
            || failure.getMessage().contains("Exceeds maximum queue size"));
  }

  private static CallOutcome failed(String error) {
    return new CallOutcome(ResultStatus.FAILED, error, null, null, Verdict.FAILURE);
  }

  private static Throwable unwrap(Throwable thrown) {
    Throwable t = thrown;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null ? t.getClass().getSimpleName() : message;
  }
}
