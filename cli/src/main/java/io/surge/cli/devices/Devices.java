package io.surge.cli.devices;

import io.surge.serving.engine.DeviceExecutor;
import io.surge.serving.engine.EmulatedDevice;
import io.surge.sim.disturb.DisturbanceSpec;
import io.surge.state.catalog.LatencyProfile;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the embedded edge servers compute on: ONNX Runtime on the host CPU (one intra-op thread per
 * server), or one emulated accelerator per server holding each batch for {@code scale ×} the
 * profiled latency, with the disturbances of the spec that name that server.
 *
 * @param profile the device profile (emulated only)
 * @param profileServer whose rows of the profile every device uses; null = the first profiled
 * @param scale multiplies the profiled latencies (emulated only)
 * @param disturbances slow-downs, outages, 5xx windows by server (emulated only)
 * @param faultSwitch when set, the disturbances are its spec and count from its arm instead of from
 *     the device's start (emulated only)
 */
public record Devices(
    boolean emulated,
    LatencyProfile profile,
    String profileServer,
    double scale,
    DisturbanceSpec disturbances,
    FaultSwitch faultSwitch) {

  public Devices {
    disturbances = disturbances == null ? DisturbanceSpec.NONE : disturbances;
    if (faultSwitch != null) {
      disturbances = faultSwitch.spec();
    }
    if (emulated && profile == null) {
      throw new IllegalArgumentException("emulated devices need a latency profile");
    }
    if (!emulated && !disturbances.isEmpty()) {
      throw new IllegalArgumentException("disturbances need emulated devices");
    }
  }

  /** ONNX Runtime on the host CPU. */
  public static Devices cpu() {
    return new Devices(false, null, null, 1, DisturbanceSpec.NONE, null);
  }

  public static Devices emulated(
      LatencyProfile profile, String profileServer, double scale, DisturbanceSpec disturbances) {
    return new Devices(true, profile, profileServer, scale, disturbances, null);
  }

  /** Emulated devices whose disturbances start when {@code faults} is armed. */
  public static Devices emulated(
      LatencyProfile profile, String profileServer, double scale, FaultSwitch faults) {
    return new Devices(true, profile, profileServer, scale, faults.spec(), faults);
  }

  /** The executor of server {@code index} among {@code serverNames}, on this kind of device. */
  public DeviceExecutor open(Path repository, List<String> serverNames, int index) {
    DeviceExecutor.Options options = DeviceExecutor.Options.defaults().withIntraOpThreads(1);
    if (!emulated) {
      return DeviceExecutor.open(repository, options);
    }
    EmulatedDevice device =
        EmulatedDevice.of(profile, scale)
            .withProfileServer(profileServer)
            .withConditions(
                faultSwitch != null
                    ? faultSwitch.conditionsFor(serverNames, index)
                    : DisturbanceConditions.forServer(disturbances, serverNames, index));
    return DeviceExecutor.emulated(repository, device, options);
  }

  public String describe() {
    return emulated
        ? String.format(
            Locale.ROOT,
            "emulated accelerators (profiled latency x %.3g%s)",
            scale,
            disturbances.isEmpty() ? "" : ", disturbances " + disturbances)
        : "ONNX Runtime on the host CPU";
  }
}
