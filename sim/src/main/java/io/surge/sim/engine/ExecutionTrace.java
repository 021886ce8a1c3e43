package io.surge.sim.engine;

/**
 * Sees every batch a server starts, for tests and diagnostics: {@link #onExecution} once, then
 * {@link #onMember} for each request of the batch in queue order.
 */
public interface ExecutionTrace {

  ExecutionTrace NONE =
      new ExecutionTrace() {
        @Override
        public void onExecution(
            int server, int variant, int batchSize, long startNanos, long endNanos) {}

        @Override
        public void onMember(long decision, long enqueuedAtNanos) {}
      };

  void onExecution(int server, int variant, int batchSize, long startNanos, long endNanos);

  void onMember(long decision, long enqueuedAtNanos);
}
