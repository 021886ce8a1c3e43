package io.surge.state;

/**
 * Which actions are allowed for a request (1 allowed, 0 not; the policy model's {@code mask}
 * input): a variant that no healthy server hosts is out, so is one below the request's minimum
 * accuracy; shed (the last action) is always allowed.
 */
public final class ActionMask {

  private ActionMask() {}

  /**
   * Writes the mask into {@code out[0..V]}.
   *
   * @param healthyServers bit s set when server s (catalog order) is healthy
   * @param minAccuracy the request's lowest acceptable accuracy (percent); NaN or <= 0 for none
   * @return the number of allowed variants (shed not counted)
   */
  public static int compute(
      ServiceTopology topology, long healthyServers, double minAccuracy, float[] out) {
    int allowed = 0;
    int variants = topology.variantCount();
    for (int v = 0; v < variants; v++) {
      boolean hosted = (topology.hostMask(v) & healthyServers) != 0;
      boolean accurateEnough = !(minAccuracy > 0) || topology.accuracy(v) >= minAccuracy;
      boolean ok = hosted && accurateEnough;
      out[v] = ok ? 1f : 0f;
      if (ok) {
        allowed++;
      }
    }
    out[variants] = 1f;
    return allowed;
  }

  public static boolean allowed(float[] mask, int action) {
    return mask[action] > 0.5f;
  }
}
