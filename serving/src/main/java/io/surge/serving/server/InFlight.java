package io.surge.serving.server;

import java.time.Duration;

/** Counts requests being answered, so that close() can stop taking new ones and drain the rest. */
final class InFlight {
  private int count;
  private boolean closing;

  /** Registers a request; false once closing has begun. */
  synchronized boolean enter() {
    if (closing) {
      return false;
    }
    count++;
    return true;
  }

  synchronized void exit() {
    count--;
    if (count == 0) {
      notifyAll();
    }
  }

  synchronized boolean isClosing() {
    return closing;
  }

  /** Refuses new requests and waits up to {@code timeout} for the others; true if all finished. */
  synchronized boolean closeAndDrain(Duration timeout) throws InterruptedException {
    closing = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (count > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
