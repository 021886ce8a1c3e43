package io.surge.train.online;

import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.OnnxPolicyServable;
import io.surge.state.ObservationSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a candidate would change on what the job saw: the running policy and the candidate scored,
 * argmax, on the recent logged observations and masks of the spec they were trained for, in one
 * batch each through {@link OnnxPolicyServable#transform} (Flink ML's servable API). A candidate
 * that takes the running policy's action on every one of them cannot do better in the guard's
 * simulator either, so the guard need not run it.
 *
 * @param decisions logged decisions scored (those of the running spec, the newest first)
 * @param changed how many of them the candidate decides differently
 * @param runningShed of them, how many the running policy sheds
 * @param candidateShed how many the candidate sheds
 */
public record DecisionAgreement(int decisions, int changed, int runningShed, int candidateShed) {

  /** Logged decisions scored at most: the newest ones. */
  static final int MAX_DECISIONS = 20_000;

  /**
   * @param recent the service's logged decisions, oldest first
   * @throws IllegalArgumentException when either model does not load for {@code spec}
   */
  public static DecisionAgreement score(
      Path running,
      Path candidate,
      ObservationSpec spec,
      List<String> variantNames,
      List<LoggedDecision> recent) {
    List<float[]> observations = new ArrayList<>();
    List<float[]> masks = new ArrayList<>();
    for (int i = recent.size() - 1; i >= 0 && observations.size() < MAX_DECISIONS; i--) {
      LoggedDecision d = recent.get(i);
      if (spec.hash().equals(d.specHash())
          && d.observation().length == spec.dimension()
          && d.mask().length == spec.actionCount()) {
        observations.add(d.observation());
        masks.add(d.mask());
      }
    }
    if (observations.isEmpty()) {
      return new DecisionAgreement(0, 0, 0, 0);
    }
    int[] before = argmax(running, spec, variantNames, observations, masks);
    int[] after = argmax(candidate, spec, variantNames, observations, masks);
    int shed = spec.actionCount() - 1;
    int changed = 0;
    int runningShed = 0;
    int candidateShed = 0;
    for (int i = 0; i < before.length; i++) {
      changed += before[i] != after[i] ? 1 : 0;
      runningShed += before[i] == shed ? 1 : 0;
      candidateShed += after[i] == shed ? 1 : 0;
    }
    return new DecisionAgreement(before.length, changed, runningShed, candidateShed);
  }

  /** True when there was something to score and the candidate changes none of it. */
  public boolean identical() {
    return decisions > 0 && changed == 0;
  }

  /** One line for the learner's log. */
  public String describe() {
    if (decisions == 0) {
      return "no logged decisions of this spec to compare on";
    }
    return String.format(
        Locale.ROOT,
        "the candidate changes %.1f %% of %d recent logged decisions (shed %.1f %% -> %.1f %%)",
        100.0 * changed / decisions,
        decisions,
        100.0 * runningShed / decisions,
        100.0 * candidateShed / decisions);
  }

  private static int[] argmax(
      Path model,
      ObservationSpec spec,
      List<String> variantNames,
      List<float[]> observations,
      List<float[]> masks) {
    try (OnnxPolicyServable servable =
            new OnnxPolicyServable(spec, variantNames)
                .set(OnnxPolicyServable.MODE, OnnxPolicy.Mode.ARGMAX.name());
        InputStream in = Files.newInputStream(model)) {
      servable.setModelData(in);
      return servable.argmaxActions(observations, masks);
    } catch (OnnxPolicyServable.RejectedModelException e) {
      throw new IllegalArgumentException(model + " does not load: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + model, e);
    }
  }
}
