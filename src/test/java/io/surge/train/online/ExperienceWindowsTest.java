package io.surge.train.online;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Deduplication by request id, bounded memory, and the per-service windows. */
class ExperienceWindowsTest {

  @Test
  void aRedeliveredTransitionIsKeptOnce() {
    ExperienceWindows windows = new ExperienceWindows(100, 1_000, 60_000);

    assertThat(windows.accept(decision("r1", "a", 1_000))).isTrue();
    assertThat(windows.accept(decision("r2", "a", 1_010))).isTrue();
    assertThat(windows.accept(decision("r1", "a", 1_000))).isFalse();
    assertThat(windows.accept(decision("r3", "b", 1_020))).isTrue();

    assertThat(windows.size("a")).isEqualTo(2);
    assertThat(windows.size("b")).isEqualTo(1);
    assertThat(windows.duplicates()).isEqualTo(1);
    assertThat(windows.arrivalMillis("a")).containsExactly(1_000, 1_010);
  }

  @Test
  void theDedupWindowIsBoundedAndForgetsTheOldestIds() {
    RecentIds ids = new RecentIds(3);
    assertThat(ids.firstSighting("a")).isTrue();
    assertThat(ids.firstSighting("b")).isTrue();
    assertThat(ids.firstSighting("c")).isTrue();
    assertThat(ids.firstSighting("d")).isTrue(); // "a" is forgotten now
    assertThat(ids.size()).isEqualTo(3);
    assertThat(ids.firstSighting("d")).isFalse();
    assertThat(ids.firstSighting("a")).isTrue();
  }

  @Test
  void decisionsBeyondTheCountOrTheAgeLeaveTheWindow() {
    ExperienceWindows byCount = new ExperienceWindows(100, 3, 60_000);
    for (int i = 0; i < 5; i++) {
      byCount.accept(decision("r" + i, "a", 1_000 + i));
    }
    assertThat(byCount.arrivalMillis("a")).containsExactly(1_002, 1_003, 1_004);

    ExperienceWindows byAge = new ExperienceWindows(100, 1_000, 10_000);
    byAge.accept(decision("old", "a", 1_000));
    byAge.accept(decision("mid", "a", 8_000));
    byAge.accept(decision("new", "a", 15_000)); // the horizon is now 5 000
    assertThat(byAge.arrivalMillis("a")).containsExactly(8_000, 15_000);
  }

  static LoggedDecision decision(String id, String service, long decidedAt) {
    return new LoggedDecision(
        id, service, 1, "hash", new float[0], new float[0], 0, 1.0, 70, decidedAt, decidedAt + 20);
  }
}
