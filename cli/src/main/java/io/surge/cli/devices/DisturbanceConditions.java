package io.surge.cli.devices;

import io.surge.serving.engine.DeviceConditions;
import io.surge.sim.disturb.Disturbance;
import io.surge.sim.disturb.DisturbanceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The disturbances of one server from a spec in the one grammar (DESIGN.md section 6), as an
 * emulated device sees them: active slow-down factors multiply, any active outage takes it down,
 * any active error window makes it answer 500. Times are seconds since the device started.
 */
public final class DisturbanceConditions implements DeviceConditions {

  private final List<Disturbance> mine;

  private DisturbanceConditions(List<Disturbance> mine) {
    this.mine = List.copyOf(mine);
  }

  /**
   * The disturbances of server {@code index} among {@code serverNames} (a disturbance names a
   * server by index or name).
   *
   * @throws IllegalArgumentException when a disturbance names a server that is not in the list
   */
  public static DeviceConditions forServer(
      DisturbanceSpec spec, List<String> serverNames, int index) {
    List<Disturbance> mine = new ArrayList<>();
    for (Disturbance d : spec.disturbances()) {
      if (d.serverIndex(serverNames) == index) {
        mine.add(d);
      }
    }
    return mine.isEmpty() ? DeviceConditions.NONE : new DisturbanceConditions(mine);
  }

  @Override
  public State at(double seconds) {
    double slowdown = 1;
    boolean down = false;
    boolean errors = false;
    for (Disturbance d : mine) {
      if (!d.activeAt(seconds)) {
        continue;
      }
      switch (d.kind()) {
        case SLOWDOWN -> slowdown *= d.factor();
        case OUTAGE -> down = true;
        case ERRORS -> errors = true;
      }
    }
    return slowdown == 1 && !down && !errors ? State.NORMAL : new State(slowdown, down, errors);
  }
}
