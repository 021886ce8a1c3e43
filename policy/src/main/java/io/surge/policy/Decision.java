package io.surge.policy;

/**
 * A policy's answer, written into a holder the caller reuses (no allocation per request): the
 * action index (variants 0..V-1 in catalog order, shed = V) and the probability with which the
 * policy chose it (1 for deterministic heuristics), which the experience log records.
 */
public final class Decision {

  private int action = -1;
  private double probability;

  public int action() {
    return action;
  }

  public double probability() {
    return probability;
  }

  /** Whether the action is shed, for a service with {@code variants} variants. */
  public boolean isShed(int variants) {
    return action == variants;
  }

  public Decision set(int action, double probability) {
    this.action = action;
    this.probability = probability;
    return this;
  }

  @Override
  public String toString() {
    return "Decision[action=" + action + ", p=" + probability + "]";
  }
}
