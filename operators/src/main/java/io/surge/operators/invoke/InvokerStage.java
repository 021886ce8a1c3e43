package io.surge.operators.invoke;

import io.surge.schema.Dispatch;
import io.surge.schema.InferenceResult;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/** Puts the {@link InferenceInvoker} on a stream of dispatches with the right async settings. */
public final class InvokerStage {

  /**
   * How far past the largest deadline the operator's backstop timeout fires. Calls end at their own
   * deadline; the backstop only catches a call implementation that ignores its timeout.
   */
  public static final Duration BACKSTOP_MARGIN = Duration.ofSeconds(1);

  private InvokerStage() {}

  /**
   * Unordered async wait (results leave in completion order, so a slow server does not hold back a
   * fast one), no retry (every dispatch already ends in exactly one result; a retry could only hit
   * the same server after part of the slack is gone), {@code capacity} calls in flight per subtask
   * (the backpressure bound: size it as peak rate per subtask x largest deadline, with headroom).
   * The caller sets the operator's uid and name.
   *
   * @param largestDeadline the largest {@code deadline_ms} a request may carry
   */
  public static SingleOutputStreamOperator<InferenceResult> apply(
      DataStream<Dispatch> dispatches,
      InferenceInvoker invoker,
      Duration largestDeadline,
      int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("invoker capacity must be at least 1, got " + capacity);
    }
    long backstopMs = largestDeadline.plus(BACKSTOP_MARGIN).toMillis();
    return AsyncDataStream.unorderedWait(
        dispatches, invoker, backstopMs, TimeUnit.MILLISECONDS, capacity);
  }
}
