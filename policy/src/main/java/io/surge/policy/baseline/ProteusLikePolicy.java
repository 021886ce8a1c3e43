package io.surge.policy.baseline;

import io.surge.policy.Decision;
import io.surge.policy.DecisionContext;
import io.surge.policy.Masks;
import io.surge.policy.SchedulingPolicy;
import io.surge.state.LatencyTable;
import io.surge.state.ServiceTopology;
import java.util.Arrays;

/**
 * Accuracy scaling after Proteus (Ahmad et al., ASPLOS'24), for one service: every {@code
 * replanSeconds} of the decision clock it re-plans the variant mix for the estimated arrival rate
 * λ, maximising mean accuracy subject to capacity: fractions x_v with Σ x_v ≤ 1 (the rest shed) and
 * Σ x_v·λ / capacity_v ≤ ρ. That is a fractional knapsack over per-request cost 1/capacity_v; its
 * optimum mixes two neighbours on the upper concave hull of (cost, accuracy), shedding being the
 * hull's origin (cost 0, accuracy 0). Requests are then assigned deterministically to realise the
 * planned fraction of the upper neighbour (a credit counter: the realised count never differs from
 * the plan by one request or more).
 *
 * <p>State (the plan and its credit) lives in the instance: one instance per service, as the
 * scheduler and the simulator already hold them.
 */
public final class ProteusLikePolicy implements SchedulingPolicy {

  public static final String NAME = "proteus-like";

  private final BaselineParameters.ProteusLike parameters;
  private final long replanNanos;

  /** Hull points by increasing cost: actions (shed = V) and their cost per request (s). */
  private final int[] hullAction;

  private final double[] hullCost;

  // ---- the current plan: serve `upper` for a fraction `upperFraction`, else `lower`
  private long plannedAtNanos = Long.MIN_VALUE;
  private int lower;
  private int upper;
  private double upperFraction;
  private double credit;

  public ProteusLikePolicy(
      ServiceTopology topology, LatencyTable latency, BaselineParameters.ProteusLike parameters) {
    this.parameters = parameters;
    this.replanNanos = Math.round(parameters.replanSeconds() * 1e9);
    int variants = topology.variantCount();
    int[] actions = new int[variants + 1];
    double[] costs = new double[variants + 1];
    double[] accuracies = new double[variants + 1];
    actions[0] = variants; // shed: free and worthless
    int n = 1;
    for (int v = 0; v < variants; v++) {
      double capacity = latency.capacityWithinDeadlinePerSecond(v);
      if (capacity > 0) {
        actions[n] = v;
        costs[n] = 1 / capacity;
        accuracies[n] = topology.accuracy(v);
        n++;
      }
    }
    int[] hull = upperHull(actions, costs, accuracies, n);
    this.hullAction = new int[hull.length];
    this.hullCost = new double[hull.length];
    for (int i = 0; i < hull.length; i++) {
      hullAction[i] = actions[hull[i]];
      hullCost[i] = costs[hull[i]];
    }
    this.lower = hullAction[hullAction.length - 1];
    this.upper = lower;
  }

  /**
   * Indices of the points on the upper concave hull of (cost, accuracy), by increasing cost, from
   * the origin to the most accurate point; dominated points (costlier and no more accurate) drop.
   */
  private static int[] upperHull(int[] actions, double[] costs, double[] accuracies, int n) {
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(costs[a], costs[b]));
    int[] hull = new int[n];
    int size = 0;
    for (int k = 0; k < n; k++) {
      int p = order[k];
      if (size > 0 && accuracies[p] <= accuracies[hull[size - 1]]) {
        continue;
      }
      while (size >= 2 && !concave(hull[size - 2], hull[size - 1], p, costs, accuracies)) {
        size--;
      }
      hull[size++] = p;
    }
    return Arrays.copyOf(hull, size);
  }

  /** Whether b lies strictly above the chord from a to c. */
  private static boolean concave(int a, int b, int c, double[] costs, double[] accuracies) {
    double cross =
        (costs[b] - costs[a]) * (accuracies[c] - accuracies[a])
            - (accuracies[b] - accuracies[a]) * (costs[c] - costs[a]);
    return cross < 0;
  }

  public BaselineParameters.ProteusLike parameters() {
    return parameters;
  }

  @Override
  public void decide(
      float[] observation, float[] mask, long requestSeed, DecisionContext context, Decision out) {
    long now = context.nowNanos();
    if (plannedAtNanos == Long.MIN_VALUE || now - plannedAtNanos >= replanNanos) {
      int scale = Math.min(parameters.rateScale(), context.state().rateMass.length - 1);
      plan(context.tracker().rateHz(context.state(), scale, now));
      plannedAtNanos = now;
    }
    credit += upperFraction;
    int action = lower;
    if (credit >= 1) {
      credit -= 1;
      action = upper;
    }
    out.set(allowedNear(mask, action), 1.0);
  }

  /** Plans the mix for an arrival rate (requests/s). */
  void plan(double rateHz) {
    // the server time each request may use on average so that the servers stay at rho
    double budget = rateHz > 0 ? parameters.utilisation() / rateHz : Double.POSITIVE_INFINITY;
    int last = hullCost.length - 1;
    if (budget >= hullCost[last]) {
      lower = hullAction[last];
      upper = lower;
      upperFraction = 0;
      return;
    }
    int i = 1;
    while (hullCost[i] <= budget) {
      i++;
    }
    lower = hullAction[i - 1];
    upper = hullAction[i];
    upperFraction = (budget - hullCost[i - 1]) / (hullCost[i] - hullCost[i - 1]);
  }

  /** The planned action, or the nearest allowed variant when the mask forbids it. */
  private static int allowedNear(float[] mask, int action) {
    int variants = mask.length - 1;
    if (action == variants || Masks.allowed(mask, action)) {
      return action;
    }
    int v = Masks.highestAllowedAtOrBelow(mask, action);
    if (v < 0) {
      v = Masks.lowestAllowedAtOrAbove(mask, action + 1, variants);
    }
    return v < 0 ? variants : v;
  }

  /** The planned less and more accurate actions and the fraction of the latter (for tests). */
  int plannedLower() {
    return lower;
  }

  int plannedUpper() {
    return upper;
  }

  double plannedUpperFraction() {
    return upperFraction;
  }

  @Override
  public String name() {
    return NAME;
  }
}
