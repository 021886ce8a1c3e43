package io.surge.cli.learn;

import io.surge.schema.Completion;
import io.surge.schema.Transition;
import io.surge.train.online.LoggedDecision;
import io.surge.train.online.ObservedCompletion;
import java.util.List;

/** The job's Avro records as the learner's Flink-free, Avro-free views. */
final class ExperienceRecords {

  private ExperienceRecords() {}

  static LoggedDecision decision(Transition t) {
    return new LoggedDecision(
        t.getRequestId(),
        t.getService(),
        t.getPolicyVersion(),
        t.getSpecHash(),
        floats(t.getObservation()),
        floats(t.getMask()),
        t.getAction(),
        t.getProbability(),
        t.getReward(),
        t.getDecidedAt().toEpochMilli(),
        t.getCompletedAt().toEpochMilli());
  }

  static ObservedCompletion completion(Completion c) {
    return new ObservedCompletion(
        c.getRequestId(),
        c.getService(),
        c.getServer(),
        c.getVariant(),
        c.getStatus(),
        c.getLatencyMs(),
        c.getCompletedAt().toEpochMilli());
  }

  private static float[] floats(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
