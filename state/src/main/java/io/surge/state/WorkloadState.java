package io.surge.state;

/**
 * The observed workload of one service: what the scheduler can measure itself. It is the keyed
 * state of the Flink scheduler operator and the per-service state of the simulator.
 *
 * <p>A plain Flink POJO on purpose (public no-arg constructor, public non-final fields of
 * primitive, primitive-array or String types only), so Flink's PojoSerializer handles it rather
 * than Kryo, without this class importing Flink. Fields are updated by {@link WorkloadTracker} and
 * read by {@link ObservationBuilder}; all arrays are sized once by {@link
 * WorkloadTracker#newState()} and never reallocated on the decision path (the in-flight table
 * grows, rarely, when full).
 *
 * <p>Time is in nanoseconds, latencies in milliseconds.
 */
public class WorkloadState {

  /** Number of variants (V) and servers (S) it was sized for. */
  public int variants;

  public int servers;

  // ---- arrivals

  /** Arrivals seen so far. */
  public long arrivals;

  /** Time of the last arrival, nanoseconds. */
  public long lastArrivalNanos;

  /**
   * Exponentially decayed arrival counts, one per rate time scale, as of {@link #lastArrivalNanos}.
   */
  public double[] rateMass;

  /** EWMA of the inter-arrival gap (ms) and of its square (ms^2). */
  public double gapMeanMs;

  public double gapSquareMeanMs2;

  // ---- in flight

  public int[] inflightByVariant;
  public int[] inflightByServer;

  /** In flight per (variant, server) pair, index {@code variant * servers + server}. */
  public int[] inflightByPair;

  /**
   * Open-addressing table (linear probing) of the requests in flight: key = 64-bit hash of the
   * request id (0 = empty slot), with its (variant, server) pair and dispatch time.
   */
  public long[] inflightKeys;

  public int[] inflightPairs;
  public long[] inflightSinceNanos;

  /** The latency the scheduler predicted for each request when it dispatched it (NaN: none). */
  public float[] inflightPredictedMs;

  public int inflightCount;

  // ---- completions

  public long[] completionsByVariant;
  public long[] completionsByServer;
  public double[] latencyMsByVariant;
  public double[] latencyMsByServer;
  public double[] lateRateByVariant;
  public double[] lateRateByServer;

  /**
   * EWMA of observed over predicted latency per variant (1 = the profile holds; 3 = answers take
   * three times what the profile promised, e.g. a slowed-down server); 0 before the first sample.
   */
  public double[] latencyRatioByVariant;

  /** Completions that carried a prediction, per variant (the ratio's sample count). */
  public long[] ratioSamplesByVariant;

  /**
   * When each variant last completed a request (or gave one up as timed out), nanoseconds: its
   * latency, late-rate and ratio estimates fade from then on (see {@link
   * WorkloadTracker#freshness}).
   */
  public long[] lastCompletionNanosByVariant;

  // ---- outcomes

  /** Requests decided (dispatched or shed) and completed-or-shed. */
  public long decisions;

  public long outcomes;
  public double recentReward;
  public double shedRate;

  // ---- observation history: a ring of the last K frames of F features

  public int frameSize;
  public int historyLength;
  public float[] history;

  /** Slot the next frame is written to, and how many frames the ring holds. */
  public int historyHead;

  public int historyCount;

  /** For Flink; use {@link WorkloadTracker#newState()}. */
  public WorkloadState() {}

  /** Total requests in flight. */
  public int inflightTotal() {
    return inflightCount;
  }
}
