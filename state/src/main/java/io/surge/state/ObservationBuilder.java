package io.surge.state;

import static io.surge.state.WorkloadTracker.faded;

import java.util.Arrays;

/**
 * Turns a {@link WorkloadState} and the request's slack into the policy's observation vector (the
 * layout of {@link ObservationSpec}), into a caller-provided buffer, without allocating. Features
 * are raw; normalisation lives inside the policy model.
 *
 * <p>Used identically by the simulator (training) and the Flink operator (serving).
 */
public final class ObservationBuilder {

  private final ObservationSpec spec;
  private final ServiceTopology topology;
  private final LatencyTable latency;
  private final WorkloadTracker tracker;

  /**
   * Unit conversions, precomputed: 1/deadline, 1/C, 1/(C x deadline), per variant 1/(C_v x
   * deadline).
   */
  private final double perDeadline;

  private final double perCapacityHz;
  private final double perCapacityDeadline;
  private final double[] perVariantCapacityDeadline;

  public ObservationBuilder(
      ObservationSpec spec,
      ServiceTopology topology,
      LatencyTable latency,
      WorkloadTracker tracker) {
    if (spec.variants() != topology.variantCount() || latency.topology() != topology) {
      throw new IllegalArgumentException("spec, topology and latency table disagree");
    }
    if (!spec.settings().equals(tracker.settings())) {
      throw new IllegalArgumentException("tracker and spec use different estimator settings");
    }
    this.spec = spec;
    this.topology = topology;
    this.latency = latency;
    this.tracker = tracker;
    double deadlineMs = topology.deadlineMs();
    double deadlineSeconds = deadlineMs / 1000;
    double capacity = latency.referenceCapacityPerSecond();
    this.perDeadline = 1 / deadlineMs;
    this.perCapacityHz = 1 / capacity;
    this.perCapacityDeadline = 1 / (capacity * deadlineSeconds);
    this.perVariantCapacityDeadline = new double[topology.variantCount()];
    for (int v = 0; v < perVariantCapacityDeadline.length; v++) {
      double c = latency.capacityPerSecond(v);
      perVariantCapacityDeadline[v] = c > 0 ? 1 / (c * deadlineSeconds) : 0;
    }
  }

  /** Everything a service needs on its decision path, wired from one catalog and profile. */
  public static ObservationBuilder create(
      ServiceTopology topology, LatencyTable latency, EstimatorSettings settings) {
    return create(topology, latency, ObservationSpec.of(topology, settings));
  }

  /**
   * As {@link #create(ServiceTopology, LatencyTable, EstimatorSettings)} for a given spec, e.g. one
   * with privileged features, which the builder leaves for the simulator to write after {@link
   * #observe}.
   */
  public static ObservationBuilder create(
      ServiceTopology topology, LatencyTable latency, ObservationSpec spec) {
    EstimatorSettings settings = spec.settings();
    WorkloadTracker tracker =
        new WorkloadTracker(
            settings, topology.variantCount(), topology.serverCount(), spec.frameSize());
    return new ObservationBuilder(spec, topology, latency, tracker);
  }

  public ObservationSpec spec() {
    return spec;
  }

  public WorkloadTracker tracker() {
    return tracker;
  }

  public LatencyTable latency() {
    return latency;
  }

  public ServiceTopology topology() {
    return topology;
  }

  /**
   * Builds the observation (current frame, then the K stored frames) into {@code out} and then
   * appends the current frame to the state's history: call it once per decision.
   *
   * @return the dimension written
   */
  public int observe(
      WorkloadState state, double slackMs, long healthyServers, long nowNanos, float[] out) {
    int d = build(state, slackMs, healthyServers, nowNanos, out);
    pushFrame(state, out);
    return d;
  }

  /** Builds the observation into {@code out} without touching the history. */
  public int build(
      WorkloadState state, double slackMs, long healthyServers, long nowNanos, float[] out) {
    if (out.length < spec.dimension()) {
      throw new IllegalArgumentException(
          "observation buffer of " + out.length + " < dimension " + spec.dimension());
    }
    writeFrame(state, slackMs, healthyServers, nowNanos, out);
    copyHistory(state, out);
    return spec.dimension();
  }

  /** Appends frame 0 of {@code observation} to the state's ring of the last K frames. */
  public void pushFrame(WorkloadState state, float[] observation) {
    int k = state.historyLength;
    if (k == 0) {
      return;
    }
    int f = state.frameSize;
    System.arraycopy(observation, 0, state.history, state.historyHead * f, f);
    state.historyHead = (state.historyHead + 1) % k;
    state.historyCount = Math.min(state.historyCount + 1, k);
  }

  private void writeFrame(
      WorkloadState state, double slackMs, long healthyServers, long nowNanos, float[] out) {
    int i = 0;
    out[i++] = (float) (slackMs * perDeadline);
    for (int scale = 0; scale < state.rateMass.length; scale++) {
      out[i++] = (float) (tracker.rateHz(state, scale, nowNanos) * perCapacityHz);
    }
    out[i++] = (float) tracker.interArrivalCv2(state);
    out[i++] = (float) (state.inflightCount * perCapacityDeadline);
    out[i++] = (float) state.recentReward;
    out[i++] = (float) state.shedRate;
    for (int v = 0; v < state.variants; v++) {
      double fresh = tracker.freshness(state, v, nowNanos);
      out[i++] = (float) (state.inflightByVariant[v] * perVariantCapacityDeadline[v]);
      out[i++] = (float) (faded(state.latencyMsByVariant[v], 0, fresh) * perDeadline);
      out[i++] = (float) faded(state.lateRateByVariant[v], 0, fresh);
      out[i++] = predictedDeadlines(state, v, healthyServers);
      out[i++] = (float) faded(tracker.latencyRatio(state, v), 1, fresh);
    }
  }

  private float predictedDeadlines(WorkloadState state, int variant, long healthyServers) {
    int server = latency.leastLoadedServer(state, variant, healthyServers);
    if (server < 0) {
      return ObservationSpec.UNAVAILABLE_DEADLINES;
    }
    return (float) (latency.predictedLatencyMs(state, variant, server) * perDeadline);
  }

  /** Frames 1..K: the stored frames, most recent first; zeros where the ring is not full yet. */
  private static void copyHistory(WorkloadState state, float[] out) {
    int f = state.frameSize;
    int k = state.historyLength;
    for (int back = 1; back <= k; back++) {
      int dst = back * f;
      if (back > state.historyCount) {
        Arrays.fill(out, dst, dst + f, 0f);
        continue;
      }
      int slot = Math.floorMod(state.historyHead - back, k);
      System.arraycopy(state.history, slot * f, out, dst, f);
    }
  }
}
