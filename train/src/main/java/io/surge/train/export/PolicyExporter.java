package io.surge.train.export;

import io.surge.state.ObservationSpec;
import io.surge.train.nn.Mlp;
import io.surge.train.nn.Normalisation;
import io.surge.train.ppo.ActorCritic;
import java.util.List;

/**
 * Turns a trained actor into a policy model: its frozen observation normalisation becomes the
 * model's first layer (so the model takes raw features), then the actor's layers, then the masked
 * softmax. Parameters are rounded from double to the model's float32.
 */
public final class PolicyExporter {

  private PolicyExporter() {}

  /**
   * A writer holding the actor of {@code networks}, for the observation spec it was trained on and
   * the service's variant names in action order; set version and workload on it, then write.
   */
  public static PolicyModelWriter writer(
      ActorCritic networks, ObservationSpec spec, List<String> variantNames) {
    if (networks.actorInputSize() != spec.dimension()
        || networks.actionCount() != spec.actionCount()) {
      throw new IllegalArgumentException(
          "an actor of "
              + networks.actorInputSize()
              + " inputs and "
              + networks.actionCount()
              + " actions do not fit spec "
              + spec);
    }
    Normalisation normalisation = networks.normalisation();
    PolicyModelWriter writer =
        PolicyModelWriter.forSpec(spec, variantNames)
            .normalisation(
                toFloats(normalisation.mean(), spec.dimension()),
                toFloats(normalisation.std(), spec.dimension()));
    if (Double.isFinite(normalisation.clip())) {
      writer.clip((float) normalisation.clip());
    }
    Mlp actor = networks.actor();
    double[] parameters = networks.actorParameters();
    for (int l = 0; l < actor.layers(); l++) {
      int in = actor.layerInput(l);
      int out = actor.layerOutput(l);
      float[] weights = slice(parameters, actor.weightOffset(l), in * out);
      float[] bias = slice(parameters, actor.biasOffset(l), out);
      if (l < actor.layers() - 1) {
        writer.hidden(weights, bias);
      } else {
        writer.output(weights, bias);
      }
    }
    return writer;
  }

  private static float[] slice(double[] values, int offset, int length) {
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      out[i] = (float) values[offset + i];
    }
    return out;
  }

  /** The first {@code length} values (the actor's inputs: an asymmetric critic sees more). */
  private static float[] toFloats(double[] values, int length) {
    return slice(values, 0, length);
  }
}
