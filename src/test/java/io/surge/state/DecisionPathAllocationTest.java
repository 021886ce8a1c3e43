package io.surge.state;

import static io.surge.state.TestServices.MS;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The decision path (estimators, mask, observation, dispatch, completion) runs a million times a
 * second in the simulator: it must not allocate. Measured with the per-thread allocation counter.
 */
class DecisionPathAllocationTest {

  private static final int WARMUP = 50_000;
  private static final int MEASURED = 200_000;

  private final ObservationBuilder builder = TestServices.builder();
  private final WorkloadTracker tracker = builder.tracker();
  private final WorkloadState state = tracker.newState(1024);
  private final float[] observation = new float[builder.spec().dimension()];
  private final float[] mask = new float[builder.spec().actionCount()];
  private final long[] keys = new long[64];
  private long now;
  private double sink;

  @Test
  void decisionPathAllocatesNothing() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (int i = 0; i < keys.length; i++) {
      keys[i] = RequestIds.key("request-" + i);
    }
    run(WARMUP);
    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    run(MEASURED);
    long after = threads.getThreadAllocatedBytes(thread);

    assertThat(sink).isNotNaN();
    // the counter itself may allocate a few bytes; one allocation per request would be >= 3 MB
    assertThat(after - before).isLessThan(1024);
  }

  private void run(int requests) {
    for (int i = 0; i < requests; i++) {
      now += 250_000 + (i % 7) * 100_000;
      tracker.onArrival(state, now);
      ActionMask.compute(builder.topology(), 0b11, Double.NaN, mask);
      builder.observe(state, 80.0, 0b11, now, observation);
      int variant = i % 3;
      int server = builder.latency().leastLoadedServer(state, variant, 0b11);
      long key = keys[i % keys.length];
      tracker.onCompletion(state, key, 12.5, (i & 15) == 0, 75.0, 0);
      tracker.onDispatch(state, key, variant, server, now);
      sink += observation[observation.length - 1] + tracker.rateHz(state, 1, now + MS);
    }
  }
}
