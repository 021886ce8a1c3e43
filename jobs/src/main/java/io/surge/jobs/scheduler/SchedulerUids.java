package io.surge.jobs.scheduler;

/**
 * Stable operator uids of the scheduling job: savepoints map state to operators by these, so they
 * never change (the job sets {@code pipeline.auto-generate-uids: false} to enforce them).
 */
public final class SchedulerUids {

  private SchedulerUids() {}

  public static final String VALIDATE_REQUESTS = "surge-validate-requests";
  public static final String DECODE_COMPLETIONS = "surge-decode-completions";
  public static final String VALIDATE_POLICIES = "surge-validate-policies";
  public static final String SCHEDULER = "surge-scheduler";
  public static final String INVOKER = "surge-invoker";
  public static final String TO_COMPLETION = "surge-to-completion";

  public static String source(String topic) {
    return "surge-source-" + topic;
  }

  public static String sink(String topic) {
    return "surge-sink-" + topic;
  }
}
