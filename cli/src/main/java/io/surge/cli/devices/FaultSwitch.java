package io.surge.cli.devices;

import io.surge.serving.engine.DeviceConditions;
import io.surge.sim.disturb.DisturbanceSpec;
import java.util.List;

/**
 * Turns a disturbance spec on at a moment chosen while the servers run: until {@link #arm()} every
 * server is undisturbed; from then on each follows the spec, its times counted from the arm. A
 * scenario starts the servers, waits for the job, starts its load and then arms the faults, so that
 * {@code outage:server=0,at=5,for=30} means five seconds into the load whatever the job's start-up
 * took. Thread-safe.
 */
public final class FaultSwitch {

  private static final long UNARMED = Long.MIN_VALUE;

  private final DisturbanceSpec spec;
  private volatile long armedAtNanos = UNARMED;

  public FaultSwitch(DisturbanceSpec spec) {
    this.spec = spec;
  }

  public DisturbanceSpec spec() {
    return spec;
  }

  /** Starts the spec's clock now; arming again restarts it. */
  public void arm() {
    armedAtNanos = System.nanoTime();
  }

  /** Seconds since {@link #arm()}, or NaN before it. */
  public double secondsSinceArmed() {
    long armed = armedAtNanos;
    return armed == UNARMED ? Double.NaN : (System.nanoTime() - armed) / 1e9;
  }

  /**
   * The conditions of server {@code index} among {@code serverNames}: normal before the arm, then
   * the spec's for that server. The device's own time since start is ignored.
   */
  DeviceConditions conditionsFor(List<String> serverNames, int index) {
    DeviceConditions mine = DisturbanceConditions.forServer(spec, serverNames, index);
    return ignoredDeviceSeconds -> {
      double seconds = secondsSinceArmed();
      return Double.isNaN(seconds) ? DeviceConditions.State.NORMAL : mine.at(seconds);
    };
  }
}
