package io.surge.serving.engine;

import io.surge.state.catalog.LatencyProfile;

/**
 * An emulated accelerator (one per server): a batch of {@code b} rows of a model holds it for
 * {@code scale × profile.medianMs(profileServer, model, b)} milliseconds (the profile interpolates
 * between profiled batch sizes and extrapolates beyond them), times the slow-down factor its {@code
 * conditions} give at the batch's start.
 *
 * @param profile the latency per (model, batch size) the device holds for
 * @param profileServer whose rows of the profile to use; null or unknown = the first profiled
 *     server of each model
 * @param scale multiplies every latency (1 = the profile as it is)
 * @param conditions slow-downs, outages and error windows over time
 * @param clock what the device waits on
 */
public record EmulatedDevice(
    LatencyProfile profile,
    String profileServer,
    double scale,
    DeviceConditions conditions,
    DeviceClock clock) {

  public EmulatedDevice {
    if (profile == null || profile.entries().isEmpty()) {
      throw new IllegalArgumentException("an emulated device needs a non-empty latency profile");
    }
    if (!(scale > 0) || !Double.isFinite(scale)) {
      throw new IllegalArgumentException("scale must be a positive number, got " + scale);
    }
    profileServer = profileServer == null ? "" : profileServer;
    conditions = conditions == null ? DeviceConditions.NONE : conditions;
    clock = clock == null ? DeviceClock.SYSTEM : clock;
  }

  /** The profile at {@code scale}, undisturbed, on the system clock. */
  public static EmulatedDevice of(LatencyProfile profile, double scale) {
    return new EmulatedDevice(profile, null, scale, DeviceConditions.NONE, DeviceClock.SYSTEM);
  }

  public EmulatedDevice withConditions(DeviceConditions value) {
    return new EmulatedDevice(profile, profileServer, scale, value, clock);
  }

  public EmulatedDevice withClock(DeviceClock value) {
    return new EmulatedDevice(profile, profileServer, scale, conditions, value);
  }

  public EmulatedDevice withProfileServer(String value) {
    return new EmulatedDevice(profile, value, scale, conditions, clock);
  }

  /** How long a batch of {@code rows} of {@code model} holds the device, undisturbed, in ms. */
  public double holdMs(String model, int rows) {
    return scale * Math.max(0, profile.medianMs(profileServer, model, rows));
  }
}
