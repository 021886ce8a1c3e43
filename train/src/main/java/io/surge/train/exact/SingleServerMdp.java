package io.surge.train.exact;

/**
 * One server, two variants, a two-phase MMPP, in time ticks. State at a tick's start: the phase and
 * the backlog (ticks of work queued at the server). In a tick, a request arrives with probability
 * {@code arrival[phase]} and is served by variant 0 (fast: {@code service[0]} ticks, accuracy
 * {@code accuracy[0]}), variant 1 (slow, more accurate) or shed. The server is FIFO, so a served
 * request's latency is {@code backlog + service}; its reward is its variant's accuracy if that
 * latency is at most the deadline, else 0 (late = wrong), and 0 when shed. A variant whose work
 * would push the backlog past the cap is masked (shed is always allowed). Then the server works off
 * one tick, and the phase switches with probability {@code switching[phase]}.
 *
 * <p>Actions: 0 = fast variant, 1 = slow variant, 2 = shed (the project's order: variants, shed).
 *
 * @param arrival arrival probability per tick in phase 0 and 1
 * @param switching probability per tick of leaving phase 0 and 1
 * @param service service ticks of variant 0 (fast) and 1 (slow)
 * @param accuracy reward of an on-time answer by variant 0 and 1
 * @param deadline latency bound in ticks
 * @param backlogCap largest backlog; bounds the state space
 */
public record SingleServerMdp(
    double[] arrival,
    double[] switching,
    int[] service,
    double[] accuracy,
    int deadline,
    int backlogCap) {

  public static final int PHASES = 2;
  public static final int VARIANTS = 2;
  public static final int ACTIONS = VARIANTS + 1;
  public static final int SHED = VARIANTS;

  public SingleServerMdp {
    if (arrival.length != PHASES || switching.length != PHASES) {
      throw new IllegalArgumentException("two phases: two arrival and two switching probabilities");
    }
    if (service.length != VARIANTS || accuracy.length != VARIANTS) {
      throw new IllegalArgumentException("two variants: two service times and two accuracies");
    }
    for (int p = 0; p < PHASES; p++) {
      if (!(arrival[p] > 0 && arrival[p] < 1) || !(switching[p] > 0 && switching[p] <= 1)) {
        throw new IllegalArgumentException("probabilities must be in (0, 1)");
      }
    }
    for (int s : service) {
      if (s < 1 || s > backlogCap) {
        throw new IllegalArgumentException("service must be 1..backlogCap ticks: " + s);
      }
    }
    arrival = arrival.clone();
    switching = switching.clone();
    service = service.clone();
    accuracy = accuracy.clone();
  }

  public boolean allowed(int backlog, int action) {
    return action == SHED || backlog + service[action] <= backlogCap;
  }

  /** Reward of serving a request that arrives to {@code backlog} with {@code action}. */
  public double reward(int backlog, int action) {
    return action != SHED && backlog + service[action] <= deadline ? accuracy[action] : 0;
  }

  /** Ticks from the arrival until the answer (0 when shed). */
  public int latency(int backlog, int action) {
    return action == SHED ? 0 : backlog + service[action];
  }

  /** Backlog at the next tick's start after an arrival handled with {@code action}. */
  public int backlogAfterArrival(int backlog, int action) {
    return Math.max(0, backlog + (action == SHED ? 0 : service[action]) - 1);
  }

  /** Backlog at the next tick's start after a tick without arrival. */
  public static int backlogAfterIdle(int backlog) {
    return Math.max(0, backlog - 1);
  }

  /** Long-run share of ticks spent in {@code phase}. */
  public double stationary(int phase) {
    return switching[1 - phase] / (switching[0] + switching[1]);
  }

  /** Long-run arrivals per tick: divides a per-tick reward into a per-request one. */
  public double meanArrivalProbability() {
    return stationary(0) * arrival[0] + stationary(1) * arrival[1];
  }
}
