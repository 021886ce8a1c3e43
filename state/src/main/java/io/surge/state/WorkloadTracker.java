package io.surge.state;

/**
 * Updates the estimators of a {@link WorkloadState} from the events the scheduler sees (arrivals,
 * its own dispatches and sheds, completions) and reads them. Stateless apart from its settings, so
 * one instance serves every key. Time is passed in (nanoseconds); nothing here reads a clock or
 * allocates, except {@link #newState()} and the rare growth of the in-flight table.
 *
 * <p>Arrival rate at time scale tau: each arrival adds 1 to a mass that decays as {@code
 * exp(-dt/tau)} over any gap dt, so irregular gaps are exact; the rate is {@code mass / tau} (a
 * Poisson stream of rate r has mean mass r * tau). It starts at 0 and warms up over tau.
 */
public final class WorkloadTracker {

  private static final double NANOS_PER_MS = 1e6;
  private static final double MIN_PREDICTION_MS = 1;

  /**
   * Time constant over which a variant's latency, late-rate and ratio estimates fade back to "not
   * observed" while it completes nothing. Without it a variant the policy stopped choosing after a
   * few bad answers (a cold start's backlog, a slow-down that has passed) keeps its bad estimates
   * for good, and the policy never chooses it again. The slowest arrival-rate scale: a variant
   * unused for half a minute reads as almost unknown.
   */
  static final double STALE_TAU_NANOS = 10_000 * NANOS_PER_MS;

  private final EstimatorSettings settings;
  private final int variants;
  private final int servers;
  private final int frameSize;
  private final double[] tauNanos;

  public WorkloadTracker(EstimatorSettings settings, int variants, int servers, int frameSize) {
    if (variants < 1 || servers < 0 || servers > ServiceTopology.MAX_SERVERS || frameSize < 1) {
      throw new IllegalArgumentException(
          "bad dimensions: variants=" + variants + " servers=" + servers + " frame=" + frameSize);
    }
    this.settings = settings;
    this.variants = variants;
    this.servers = servers;
    this.frameSize = frameSize;
    this.tauNanos = new double[settings.rateScales()];
    for (int i = 0; i < tauNanos.length; i++) {
      tauNanos[i] = settings.rateTimeConstantMs(i) * NANOS_PER_MS;
    }
  }

  public EstimatorSettings settings() {
    return settings;
  }

  /** A fresh state sized for this tracker's service. */
  public WorkloadState newState() {
    return newState(InFlightTable.INITIAL_CAPACITY);
  }

  /** A fresh state whose in-flight table holds {@code expectedInFlight} without growing. */
  public WorkloadState newState(int expectedInFlight) {
    WorkloadState s = new WorkloadState();
    s.variants = variants;
    s.servers = servers;
    s.rateMass = new double[tauNanos.length];
    s.inflightByVariant = new int[variants];
    s.inflightByServer = new int[servers];
    s.inflightByPair = new int[variants * servers];
    InFlightTable.allocate(s, expectedInFlight);
    s.completionsByVariant = new long[variants];
    s.completionsByServer = new long[servers];
    s.latencyMsByVariant = new double[variants];
    s.latencyMsByServer = new double[servers];
    s.lateRateByVariant = new double[variants];
    s.lateRateByServer = new double[servers];
    s.latencyRatioByVariant = new double[variants];
    s.ratioSamplesByVariant = new long[variants];
    s.lastCompletionNanosByVariant = new long[variants];
    s.frameSize = frameSize;
    s.historyLength = settings.historyLength();
    s.history = new float[frameSize * settings.historyLength()];
    return s;
  }

  /**
   * Whether a state (e.g. restored from a savepoint) has this tracker's shape; when not, the caller
   * starts a fresh one.
   */
  public boolean fits(WorkloadState s) {
    return s != null
        && s.variants == variants
        && s.servers == servers
        && s.frameSize == frameSize
        && s.historyLength == settings.historyLength()
        && s.rateMass != null
        && s.rateMass.length == tauNanos.length
        && s.history != null
        && s.history.length == frameSize * settings.historyLength()
        && s.inflightKeys != null
        && s.inflightPredictedMs != null
        && s.inflightPredictedMs.length == s.inflightKeys.length
        && s.latencyRatioByVariant != null
        && s.latencyRatioByVariant.length == variants
        && s.lastCompletionNanosByVariant != null
        && s.lastCompletionNanosByVariant.length == variants;
  }

  // ---------------------------------------------------------------- events

  /** A request arrived at {@code nowNanos}. */
  public void onArrival(WorkloadState s, long nowNanos) {
    if (s.arrivals > 0) {
      long dt = Math.max(0, nowNanos - s.lastArrivalNanos);
      decayRates(s, dt);
      recordGap(s, dt / NANOS_PER_MS);
    }
    for (int i = 0; i < s.rateMass.length; i++) {
      s.rateMass[i] += 1;
    }
    s.lastArrivalNanos = Math.max(nowNanos, s.arrivals > 0 ? s.lastArrivalNanos : nowNanos);
    s.arrivals++;
  }

  /**
   * The scheduler sent a request to a variant on a server.
   *
   * @return false when the request was already in flight (a replay): nothing changes
   */
  public boolean onDispatch(
      WorkloadState s, long requestKey, int variant, int server, long nowNanos) {
    return onDispatch(s, requestKey, variant, server, nowNanos, Float.NaN);
  }

  /**
   * The scheduler sent a request, predicting {@code predictedMs} for it: its completion then
   * updates the variant's observed-over-predicted latency ratio.
   *
   * @return false when the request was already in flight (a replay): nothing changes
   */
  public boolean onDispatch(
      WorkloadState s, long requestKey, int variant, int server, long nowNanos, float predictedMs) {
    checkPair(variant, server);
    int pair = variant * servers + server;
    if (!InFlightTable.insert(s, requestKey, pair, nowNanos, predictedMs)) {
      return false;
    }
    s.inflightByVariant[variant]++;
    s.inflightByServer[server]++;
    s.inflightByPair[pair]++;
    recordDecision(s, false);
    return true;
  }

  /** The scheduler shed a request; {@code reward} is 0 or the configured penalty. */
  public void onShed(WorkloadState s, double reward) {
    recordDecision(s, true);
    recordReward(s, reward);
  }

  /**
   * A request came back (or failed). Idempotent by request: a completion whose request is not in
   * flight (a duplicate, or never dispatched here) changes nothing.
   *
   * @param late answered after its deadline, timed out, or failed
   * @param nowNanos when the completion is seen, on the clock of the decisions
   * @return whether it was applied
   */
  public boolean onCompletion(
      WorkloadState s,
      long requestKey,
      double latencyMs,
      boolean late,
      double reward,
      long nowNanos) {
    int slot = InFlightTable.find(s, requestKey);
    if (slot == InFlightTable.NOT_FOUND) {
      return false;
    }
    int pair = s.inflightPairs[slot];
    float predictedMs = s.inflightPredictedMs[slot];
    InFlightTable.removeAt(s, slot);
    int variant = pair / servers;
    int server = pair % servers;
    release(s, variant, server, pair);
    fade(s, variant, nowNanos);
    recordRatio(s, variant, latencyMs, predictedMs);
    recordCompletion(s, variant, server, latencyMs, late);
    recordReward(s, reward);
    return true;
  }

  /**
   * Drops requests in flight for longer than {@code maxAgeNanos} (lost: no completion will come),
   * counting them as timeouts. O(table capacity): call it from a timer, not per request.
   *
   * @return how many were dropped
   */
  public int expire(WorkloadState s, long nowNanos, long maxAgeNanos) {
    int dropped = 0;
    long[] keys = s.inflightKeys;
    for (int i = 0; i < keys.length; i++) {
      // removal shifts a later entry into slot i: re-check the slot until it is kept or empty
      while (keys[i] != 0 && nowNanos - s.inflightSinceNanos[i] > maxAgeNanos) {
        int pair = s.inflightPairs[i];
        InFlightTable.removeAt(s, i);
        release(s, pair / servers, pair % servers, pair);
        fade(s, pair / servers, nowNanos);
        updateLate(s, pair / servers, pair % servers, true);
        dropped++;
      }
    }
    return dropped;
  }

  // ---------------------------------------------------------------- reads

  /** Arrival rate (requests/s) at time scale {@code scale}, as of {@code nowNanos}. */
  public double rateHz(WorkloadState s, int scale, long nowNanos) {
    if (s.arrivals == 0) {
      return 0;
    }
    long dt = Math.max(0, nowNanos - s.lastArrivalNanos);
    return s.rateMass[scale] * Math.exp(-dt / tauNanos[scale]) / (tauNanos[scale] / 1e9);
  }

  /** Squared coefficient of variation of inter-arrival gaps (1 for Poisson); 0 before 2 gaps. */
  public double interArrivalCv2(WorkloadState s) {
    if (s.arrivals < 3 || s.gapMeanMs <= 0) {
      return 0;
    }
    double var = s.gapSquareMeanMs2 - s.gapMeanMs * s.gapMeanMs;
    return Math.max(0, var / (s.gapMeanMs * s.gapMeanMs));
  }

  // ---------------------------------------------------------------- updates

  private void decayRates(WorkloadState s, long dtNanos) {
    for (int i = 0; i < s.rateMass.length; i++) {
      s.rateMass[i] *= Math.exp(-dtNanos / tauNanos[i]);
    }
  }

  private void recordGap(WorkloadState s, double gapMs) {
    if (s.arrivals == 1) {
      s.gapMeanMs = gapMs;
      s.gapSquareMeanMs2 = gapMs * gapMs;
      return;
    }
    double a = settings.gapAlpha();
    s.gapMeanMs += a * (gapMs - s.gapMeanMs);
    s.gapSquareMeanMs2 += a * (gapMs * gapMs - s.gapSquareMeanMs2);
  }

  private void recordDecision(WorkloadState s, boolean shed) {
    double x = shed ? 1 : 0;
    s.shedRate = s.decisions == 0 ? x : s.shedRate + settings.shedAlpha() * (x - s.shedRate);
    s.decisions++;
  }

  private void recordReward(WorkloadState s, double reward) {
    s.recentReward =
        s.outcomes == 0
            ? reward
            : s.recentReward + settings.rewardAlpha() * (reward - s.recentReward);
    s.outcomes++;
  }

  private void recordCompletion(
      WorkloadState s, int variant, int server, double latencyMs, boolean late) {
    double la = settings.latencyAlpha();
    s.latencyMsByVariant[variant] =
        ewma(s.latencyMsByVariant[variant], latencyMs, la, s.completionsByVariant[variant]);
    s.latencyMsByServer[server] =
        ewma(s.latencyMsByServer[server], latencyMs, la, s.completionsByServer[server]);
    updateLate(s, variant, server, late);
    s.completionsByVariant[variant]++;
    s.completionsByServer[server]++;
  }

  private void recordRatio(WorkloadState s, int variant, double latencyMs, float predictedMs) {
    if (!(predictedMs > 0)) {
      return;
    }
    // a floor keeps near-zero predictions (an idle zero-compute server) from exploding the ratio
    double ratio = latencyMs / Math.max(predictedMs, MIN_PREDICTION_MS);
    s.latencyRatioByVariant[variant] =
        ewma(
            s.latencyRatioByVariant[variant],
            ratio,
            settings.latencyAlpha(),
            s.ratioSamplesByVariant[variant]);
    s.ratioSamplesByVariant[variant]++;
  }

  /** Observed over predicted latency of a variant; 1 (the profile holds) before any sample. */
  public double latencyRatio(WorkloadState s, int variant) {
    return s.ratioSamplesByVariant[variant] == 0 ? 1 : s.latencyRatioByVariant[variant];
  }

  /**
   * How much a variant's latency, late-rate and ratio estimates still count at {@code nowNanos}:
   * {@code exp(-age / 10 s)} of the time since its last completion, 1 before any. The observation
   * reads each estimate faded toward its value before any sample (latency 0, late rate 0, ratio 1)
   * by this weight, and the next completion continues the EWMA from there.
   */
  public double freshness(WorkloadState s, int variant, long nowNanos) {
    if (s.completionsByVariant[variant] == 0) {
      return 1;
    }
    long age = Math.max(0, nowNanos - s.lastCompletionNanosByVariant[variant]);
    return Math.exp(-age / STALE_TAU_NANOS);
  }

  /**
   * An estimate faded by {@code freshness} (see {@link #freshness}) toward {@code unobserved}, its
   * value before any sample. The one fading formula, for the observation and for {@link #fade}.
   */
  public static double faded(double estimate, double unobserved, double freshness) {
    return unobserved + (estimate - unobserved) * freshness;
  }

  /**
   * Settles a variant's estimates to their faded values before the completion at now updates them.
   */
  private void fade(WorkloadState s, int variant, long nowNanos) {
    double w = freshness(s, variant, nowNanos);
    s.latencyMsByVariant[variant] = faded(s.latencyMsByVariant[variant], 0, w);
    s.lateRateByVariant[variant] = faded(s.lateRateByVariant[variant], 0, w);
    if (s.ratioSamplesByVariant[variant] > 0) {
      s.latencyRatioByVariant[variant] = faded(s.latencyRatioByVariant[variant], 1, w);
    }
    s.lastCompletionNanosByVariant[variant] = nowNanos;
  }

  private void updateLate(WorkloadState s, int variant, int server, boolean late) {
    double x = late ? 1 : 0;
    double a = settings.lateAlpha();
    s.lateRateByVariant[variant] =
        ewma(s.lateRateByVariant[variant], x, a, s.completionsByVariant[variant]);
    s.lateRateByServer[server] =
        ewma(s.lateRateByServer[server], x, a, s.completionsByServer[server]);
  }

  private static void release(WorkloadState s, int variant, int server, int pair) {
    s.inflightByVariant[variant]--;
    s.inflightByServer[server]--;
    s.inflightByPair[pair]--;
  }

  /** EWMA whose first sample sets the value (no bias toward the initial 0). */
  private static double ewma(double current, double x, double alpha, long samplesSoFar) {
    return samplesSoFar == 0 ? x : current + alpha * (x - current);
  }

  private void checkPair(int variant, int server) {
    if (variant < 0 || variant >= variants || server < 0 || server >= servers) {
      throw new IllegalArgumentException(
          "variant " + variant + " / server " + server + " out of range");
    }
  }
}
