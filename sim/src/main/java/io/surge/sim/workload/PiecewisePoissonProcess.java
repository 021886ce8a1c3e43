package io.surge.sim.workload;

import java.util.SplittableRandom;

/**
 * A Poisson process whose rate is constant within each segment of a {@link RateSchedule}. Exact: an
 * exponential gap that would cross a segment's end is discarded and drawn again from that end with
 * the next rate, which memorylessness makes correct.
 */
final class PiecewisePoissonProcess implements ArrivalProcess {

  private final RateSchedule schedule;
  private final SplittableRandom rng;
  private double now;
  private int lastPhase;
  private double lastRate;

  PiecewisePoissonProcess(RateSchedule schedule, SplittableRandom rng) {
    this.schedule = schedule;
    this.rng = rng;
    this.lastPhase = schedule.phase();
    this.lastRate = schedule.rate();
  }

  @Override
  public double nextArrival() {
    while (true) {
      double rate = schedule.rate();
      if (rate > 0) {
        double candidate = now + Exponential.draw(rng, 1.0 / rate);
        if (candidate < schedule.end()) {
          now = candidate;
          lastPhase = schedule.phase();
          lastRate = rate;
          return now;
        }
      }
      now = schedule.end();
      schedule.advance(rng);
    }
  }

  @Override
  public int hiddenState() {
    return lastPhase;
  }

  @Override
  public double hiddenRate() {
    return lastRate;
  }

  @Override
  public double meanRate() {
    return schedule.meanRate();
  }
}
