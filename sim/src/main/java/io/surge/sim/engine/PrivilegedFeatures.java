package io.surge.sim.engine;

import io.surge.state.ObservationSpec;
import io.surge.state.ServiceTopology;
import java.util.ArrayList;
import java.util.List;

/**
 * The features only the simulator knows, for the {@code oracle} baseline (DESIGN.md section 7),
 * appended after the observation's history: the true number of requests created in the next second,
 * then each server's true current slow-down factor (1 when undisturbed).
 */
public final class PrivilegedFeatures {

  public static final String NEXT_SECOND_ARRIVALS =
      ObservationSpec.PRIVILEGED_PREFIX + "next_second_arrivals";

  private PrivilegedFeatures() {}

  /** The names, in vector order, for a service's topology. */
  public static List<String> names(ServiceTopology topology) {
    List<String> names = new ArrayList<>();
    names.add(NEXT_SECOND_ARRIVALS);
    for (int s = 0; s < topology.serverCount(); s++) {
      names.add(ObservationSpec.PRIVILEGED_PREFIX + "s" + s + ".slowdown");
    }
    return names;
  }

  /** Writes them at {@code offset} of {@code observation}. */
  static void write(float[] observation, int offset, int nextSecondArrivals, double[] slowdown) {
    observation[offset] = nextSecondArrivals;
    for (int s = 0; s < slowdown.length; s++) {
      observation[offset + 1 + s] = (float) slowdown[s];
    }
  }
}
