package io.surge.cli.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacerTest {

  private static final long MS = 1_000_000;

  @Test
  void dueTimesFollowTheOffsetsFromTheStart() {
    Pacer pacer = new Pacer(1_000 * MS, 100 * MS);
    assertThat(pacer.due(0)).isEqualTo(1_000 * MS);
    assertThat(pacer.due(250 * MS)).isEqualTo(1_250 * MS);
  }

  @Test
  void smallLagIsCaughtUpWithoutShiftingTheSchedule() {
    Pacer pacer = new Pacer(0, 100 * MS);
    pacer.sentAt(pacer.due(10 * MS), 90 * MS);
    assertThat(pacer.shift()).isZero();
    assertThat(pacer.due(20 * MS)).isEqualTo(20 * MS);
    assertThat(pacer.maxObservedLag()).isEqualTo(80 * MS);
  }

  @Test
  void aStallShiftsTheScheduleSoTheMissedArrivalsDoNotBurst() {
    Pacer pacer = new Pacer(0, 100 * MS);
    // a one-second stall before the arrival due at 10 ms
    pacer.sentAt(pacer.due(10 * MS), 1_010 * MS);

    assertThat(pacer.shift()).isEqualTo(900 * MS);
    // the next arrivals (20 ms, 500 ms) are now due 100 ms behind "now", not all at once
    assertThat(pacer.due(20 * MS)).isEqualTo(920 * MS);
    assertThat(pacer.due(500 * MS)).isEqualTo(1_400 * MS);
    assertThat(pacer.maxObservedLag()).isEqualTo(1_000 * MS);
  }
}
