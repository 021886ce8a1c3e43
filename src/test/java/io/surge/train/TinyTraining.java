package io.surge.train;

import io.surge.sim.workload.WorkloadSpec;
import io.surge.train.ppo.PpoConfig;
import java.util.List;

/** A training plan small enough for a unit test: two updates of short episodes on a tiny MLP. */
public final class TinyTraining {

  public static final String WORKLOAD = "mmpp:rates=200/700,dwell=2/1";

  private TinyTraining() {}

  public static TrainingPlan plan(long seed) {
    return TrainingPlan.of(
            List.of(WorkloadSpec.parse(WORKLOAD), WorkloadSpec.parse("poisson:rate=300")),
            512,
            seed)
        .withEpisodeSeconds(3)
        .withPpo(
            PpoConfig.defaults().toBuilder()
                .hiddenLayers(8, 8)
                .environments(2)
                .threads(2)
                .rolloutDecisions(128)
                .minibatchSize(64)
                .epochs(2)
                .build());
  }
}
