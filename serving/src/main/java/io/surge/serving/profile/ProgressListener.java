package io.surge.serving.profile;

/** Told how much measuring there is and each time one request of it is done. */
public interface ProgressListener {

  ProgressListener NONE =
      new ProgressListener() {
        @Override
        public void start(long totalSteps) {}

        @Override
        public void step() {}
      };

  /** Called once, before the first step. */
  void start(long totalSteps);

  /** Called after each timed or warm-up request. */
  void step();
}
