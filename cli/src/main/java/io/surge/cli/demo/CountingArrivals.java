package io.surge.cli.demo;

import io.surge.sim.workload.ArrivalProcess;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An arrival process that counts the arrivals handed to the load generator within the run's
 * duration, so progress lines can show requests sent while the generator runs (it waits for each
 * arrival's due time before sending it, so the count is ahead by at most the one it waits for).
 */
final class CountingArrivals implements ArrivalProcess {

  private final ArrivalProcess delegate;
  private final long limitNanos;
  private final AtomicLong count = new AtomicLong();

  CountingArrivals(ArrivalProcess delegate, long limitNanos) {
    this.delegate = delegate;
    this.limitNanos = limitNanos;
  }

  long count() {
    return count.get();
  }

  @Override
  public double nextArrival() {
    double t = delegate.nextArrival();
    if (t * 1e9 < limitNanos) {
      count.incrementAndGet();
    }
    return t;
  }

  @Override
  public long nextArrivalNanos() {
    long t = delegate.nextArrivalNanos();
    if (t < limitNanos) {
      count.incrementAndGet();
    }
    return t;
  }

  @Override
  public int hiddenState() {
    return delegate.hiddenState();
  }

  @Override
  public double hiddenRate() {
    return delegate.hiddenRate();
  }

  @Override
  public double meanRate() {
    return delegate.meanRate();
  }
}
