package io.surge.state;

import io.surge.schema.ResultStatus;
import java.io.Serializable;

/**
 * The reward of a request by how it ended (DESIGN.md section 1): the serving variant's accuracy
 * when answered on time, and a configured reward (0 = counts as wrong, or a negative penalty) when
 * shed, late or failed. The scheduler, the invoker and the simulator all score with this one rule.
 */
public record Rewards(double shed, double late, double failed) implements Serializable {

  /** Late, failed and shed all count as wrong answers: the objective is effective accuracy. */
  public static final Rewards EFFECTIVE_ACCURACY = new Rewards(0, 0, 0);

  public Rewards {
    if (!Double.isFinite(shed) || !Double.isFinite(late) || !Double.isFinite(failed)) {
      throw new IllegalArgumentException(
          "rewards must be finite: shed=" + shed + " late=" + late + " failed=" + failed);
    }
  }

  /**
   * The reward of a request that ended with {@code status}, served by a variant of {@code
   * accuracy}.
   */
  public double of(ResultStatus status, double accuracy) {
    return switch (status) {
      case OK -> accuracy;
      case LATE -> late;
      case FAILED -> failed;
      case SHED -> shed;
    };
  }
}
