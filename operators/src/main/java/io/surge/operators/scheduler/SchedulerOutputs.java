package io.surge.operators.scheduler;

import io.surge.schema.InferenceResult;
import io.surge.schema.Transition;
import org.apache.flink.util.OutputTag;

/** Side outputs of the scheduler; its main output is the dispatches. */
public final class SchedulerOutputs {

  private SchedulerOutputs() {}

  /** Results of shed requests: they never reach the invoker. */
  public static final OutputTag<InferenceResult> SHED = new OutputTag<>("shed-results") {};

  /** One transition per decision, once its reward is known. */
  public static final OutputTag<Transition> TRANSITIONS = new OutputTag<>("transitions") {};
}
