package io.surge.serving.engine;

/**
 * What disturbs an emulated device at a given time since it started: a slow-down factor, an outage
 * (the server answers nothing and drops the connection), or an error window (every call is answered
 * at once with HTTP 500). The one grammar of these (DESIGN.md section 6, {@code
 * slowdown:…;outage:…;errors:…}) is parsed outside this package, which only sees the result.
 */
@FunctionalInterface
public interface DeviceConditions {

  /** The device's state at one moment. */
  record State(double slowdown, boolean down, boolean errors) {
    public static final State NORMAL = new State(1, false, false);

    public State {
      if (!(slowdown > 0) || !Double.isFinite(slowdown)) {
        throw new IllegalArgumentException("slow-down factor must be positive: " + slowdown);
      }
    }
  }

  /** The state at {@code seconds} since the device started. */
  State at(double seconds);

  /** Never disturbed. */
  DeviceConditions NONE = seconds -> State.NORMAL;
}
