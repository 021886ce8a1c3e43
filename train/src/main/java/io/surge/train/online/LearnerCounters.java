package io.surge.train.online;

/** What the online learner has done so far; every log line of {@code surge learn} carries it. */
public final class LearnerCounters {

  private long cycles;
  private long skipped;
  private long trained;
  private long published;
  private long rejected;

  void countCycle() {
    cycles++;
  }

  void countSkipped() {
    skipped++;
  }

  void countTrained() {
    trained++;
  }

  void countPublished() {
    published++;
  }

  void countRejected() {
    rejected++;
  }

  public long cycles() {
    return cycles;
  }

  public long skipped() {
    return skipped;
  }

  /** Candidates trained (each is then published or rejected, or failed to publish). */
  public long trained() {
    return trained;
  }

  public long published() {
    return published;
  }

  public long rejected() {
    return rejected;
  }

  @Override
  public String toString() {
    return "cycles "
        + cycles
        + ", candidates trained "
        + trained
        + ", published "
        + published
        + ", rejected "
        + rejected
        + ", skipped "
        + skipped;
  }
}
