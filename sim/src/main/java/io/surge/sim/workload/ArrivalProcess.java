package io.surge.sim.workload;

/**
 * A stream of request arrival times, drawn from a seeded random generator so that a run can be
 * repeated. The simulator reads the times as virtual time; the load generator paces them against a
 * real clock. Both read the same sequence for the same spec and seed.
 *
 * <p>An instance is single-threaded and not restartable: make a new one from its {@link
 * WorkloadSpec} with a seed.
 */
public interface ArrivalProcess {

  /**
   * Advances to the next arrival and returns its time in seconds from the start of the process.
   * Times never decrease; {@link Double#POSITIVE_INFINITY} means the process is exhausted (a trace
   * has ended) and stays so.
   */
  double nextArrival();

  /** {@link #nextArrival()} in nanoseconds; {@link Long#MAX_VALUE} when exhausted. */
  default long nextArrivalNanos() {
    double t = nextArrival();
    return Double.isInfinite(t) ? Long.MAX_VALUE : Math.round(t * 1e9);
  }

  /**
   * The hidden workload state at the last arrival returned (before the first: at time 0), which the
   * scheduler cannot observe and only the oracle baseline may use: the MMPP phase index, 1 inside a
   * flash crowd and 0 outside, 0 for Poisson, and for a trace the true number of arrivals in the
   * second after the last arrival.
   */
  int hiddenState();

  /**
   * The true arrival rate in requests/s at the last arrival returned (the phase's rate; for a
   * trace, the arrivals in the next second).
   */
  double hiddenRate();

  /** The long-run mean arrival rate in requests/s. */
  double meanRate();
}
