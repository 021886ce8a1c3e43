package io.surge.train;

import io.surge.state.ObservationSpec;
import io.surge.train.export.PolicyExporter;
import io.surge.train.export.PolicyModelWriter;
import io.surge.train.ppo.ActorCritic;
import io.surge.train.ppo.LearningCurve;
import io.surge.train.ppo.TrainingSummary;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link PolicyTraining#run} produced.
 *
 * @param lastProgress the last update's progress (null when none ran)
 * @param spec the observation spec the networks were trained on (privileged features included for
 *     an oracle); its hash goes into the exported model
 * @param variantNames the service's variants in action order
 */
public record TrainedPolicy(
    TrainingPlan plan,
    ActorCritic networks,
    LearningCurve learningCurve,
    TrainingSummary summary,
    TrainingProgress lastProgress,
    ObservationSpec spec,
    List<String> variantNames) {

  /** The policy model (ONNX, DESIGN.md section 6) as bytes. */
  public byte[] modelBytes(long version, String trainedOn) {
    return writer(version, trainedOn).toBytes();
  }

  /** Writes the policy model (e.g. {@code policy.onnx}). */
  public void export(Path file, long version, String trainedOn) {
    writer(version, trainedOn).writeTo(file);
  }

  private PolicyModelWriter writer(long version, String trainedOn) {
    return PolicyExporter.writer(networks, spec, variantNames)
        .version(version)
        .trainedOn(trainedOn);
  }
}
