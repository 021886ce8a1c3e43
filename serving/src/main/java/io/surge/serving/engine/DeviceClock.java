package io.surge.serving.engine;

import java.util.concurrent.locks.LockSupport;

/**
 * The time an emulated device runs on: how long a batch holds it and when disturbance windows
 * begin. The system clock waits by parking the execution thread until a deadline (a timed wake-up,
 * no spinning); tests pass a fake clock whose waits only advance its time.
 */
public interface DeviceClock {

  /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /** Returns once {@link #nanoTime()} reaches {@code deadlineNanos}, without burning CPU. */
  void sleepUntil(long deadlineNanos) throws InterruptedException;

  /** {@link System#nanoTime()} and {@link LockSupport#parkNanos(long)}. */
  DeviceClock SYSTEM =
      new DeviceClock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void sleepUntil(long deadlineNanos) throws InterruptedException {
          for (long left = deadlineNanos - System.nanoTime();
              left > 0;
              left = deadlineNanos - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
              throw new InterruptedException("interrupted while the emulated device was busy");
            }
          }
        }
      };
}
