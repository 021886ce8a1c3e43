package io.surge.operators.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.operators.invoke.CircuitBreaker.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private static final BreakerSettings SETTINGS =
      new BreakerSettings(3, 10, 4, 0.5, Duration.ofMillis(1000), Duration.ofMillis(200));

  private final AtomicLong now = new AtomicLong(10_000);
  private final List<CompletableFuture<Boolean>> probes = new ArrayList<>();
  private final List<String> changes = new ArrayList<>();
  private final CircuitBreaker breaker =
      new CircuitBreaker(
          "edge-1",
          SETTINGS,
          now::get,
          server -> {
            CompletableFuture<Boolean> probe = new CompletableFuture<>();
            probes.add(probe);
            return probe;
          },
          (server, healthy) -> changes.add(server + (healthy ? " healthy" : " unhealthy")));

  @Test
  void staysClosedBelowTheConsecutiveFailureLimitAndTheFailureRate() {
    for (int i = 0; i < 6; i++) {
      breaker.onSuccess();
    }
    // 4 of the last 10 failed, never 3 in a row
    breaker.onFailure();
    breaker.onFailure();
    breaker.onSuccess();
    breaker.onFailure();
    breaker.onFailure();

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(changes).isEmpty();
  }

  @Test
  void opensAfterConsecutiveFailuresAndRefusesCalls() {
    failTimes(3);

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(changes).containsExactly("edge-1 unhealthy");
  }

  @Test
  void opensWhenTheFailureRateOverTheWindowIsReached() {
    // never 3 failures in a row, but half of the calls once the window holds the minimum of 4
    breaker.onSuccess();
    breaker.onFailure();
    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);

    breaker.onFailure();

    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void oldOutcomesLeaveTheWindow() {
    // 10 successes then 4 failures separated by successes: 4 of the last 10 failed, below 50 %
    for (int i = 0; i < 10; i++) {
      breaker.onSuccess();
    }
    for (int i = 0; i < 4; i++) {
      breaker.onFailure();
      breaker.onSuccess();
    }
    assertThat(breaker.state()).isEqualTo(State.CLOSED);

    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void halfOpensAfterTheCoolDownAndProbes() {
    failTimes(3);
    now.addAndGet(999);
    breaker.poll();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(probes).isEmpty();

    now.addAndGet(1);
    assertThat(breaker.tryAcquire()).isFalse();

    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(probes).hasSize(1);
  }

  @Test
  void aReadyProbeClosesIt() {
    failTimes(3);
    now.addAndGet(1000);
    breaker.poll();

    probes.get(0).complete(true);

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(changes).containsExactly("edge-1 unhealthy", "edge-1 healthy");
  }

  @Test
  void aClosedBreakerStartsWithAFreshWindow() {
    failTimes(3);
    now.addAndGet(1000);
    breaker.poll();
    probes.get(0).complete(true);

    breaker.onFailure();
    breaker.onFailure();

    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void aFailedProbeReopensForAnotherCoolDown() {
    failTimes(3);
    now.addAndGet(1000);
    breaker.poll();

    probes.get(0).complete(false);

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    now.addAndGet(999);
    breaker.poll();
    assertThat(probes).hasSize(1);
    now.addAndGet(1);
    breaker.poll();
    assertThat(probes).hasSize(2);
    assertThat(changes).containsExactly("edge-1 unhealthy");
  }

  @Test
  void aProbeErrorCountsAsNotReady() {
    failTimes(3);
    now.addAndGet(1000);
    breaker.poll();

    probes.get(0).completeExceptionally(new java.net.ConnectException("refused"));

    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void aProbeWithoutAnswerTimesOutAndItsLateAnswerIsIgnored() {
    failTimes(3);
    now.addAndGet(1000);
    breaker.poll();
    now.addAndGet(200);
    breaker.poll();
    assertThat(breaker.state()).isEqualTo(State.OPEN);

    probes.get(0).complete(true);

    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void outcomesOfCallsInFlightWhenItOpenedAreIgnored() {
    failTimes(3);

    breaker.onSuccess();
    breaker.onFailure();

    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(changes).containsExactly("edge-1 unhealthy");
  }

  @Test
  void aProbeThatThrowsCountsAsNotReady() {
    CircuitBreaker throwing =
        new CircuitBreaker(
            "edge-2",
            SETTINGS,
            now::get,
            server -> {
              throw new IllegalStateException("no client");
            },
            (server, healthy) -> {});
    for (int i = 0; i < 3; i++) {
      throwing.onFailure();
    }
    now.addAndGet(1000);

    throwing.poll();

    assertThat(throwing.state()).isEqualTo(State.OPEN);
  }

  @Test
  void silenceCountsOnlyWhileCallsWaitAndAnyAnswerEndsIt() {
    assertThat(breaker.aliveWithin(2_000)).as("never called, never heard").isFalse();
    assertThat(breaker.tryAcquire()).isTrue();
    now.addAndGet(1_500);
    assertThat(breaker.aliveWithin(2_000)).as("called 1.5 s ago, no answer yet").isTrue();
    now.addAndGet(1_000);
    assertThat(breaker.aliveWithin(2_000)).as("called 2.5 s ago, no answer yet").isFalse();

    // an overload answer is a sign of life, and counts neither way
    breaker.onAnswer();
    assertThat(breaker.aliveWithin(2_000)).isTrue();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);

    // not called for 10 s: no silence counts; the next call starts a new window
    now.addAndGet(10_000);
    assertThat(breaker.aliveWithin(2_000)).isFalse();
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.aliveWithin(2_000)).isTrue();
    now.addAndGet(2_001);
    assertThat(breaker.aliveWithin(2_000)).isFalse();
  }

  @Test
  void rejectsNonsenseSettings() {
    assertThatThrownBy(
            () -> new BreakerSettings(0, 10, 4, 0.5, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("consecutiveFailures");
    assertThatThrownBy(
            () -> new BreakerSettings(3, 10, 11, 0.5, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .hasMessageContaining("minCallsInWindow");
    assertThatThrownBy(
            () -> new BreakerSettings(3, 10, 4, 1.5, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .hasMessageContaining("failureRate");
    assertThatThrownBy(
            () -> new BreakerSettings(3, 10, 4, 0.5, Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("coolDown");
  }

  @Test
  void serverBreakersReportHealthPerServer() {
    ServerBreakers breakers =
        new ServerBreakers(SETTINGS, now::get, s -> new CompletableFuture<>());
    List<String> seen = new ArrayList<>();
    breakers.addListener((server, healthy) -> seen.add(server + "=" + healthy));

    for (int i = 0; i < 3; i++) {
      breakers.forServer("edge-1").onFailure();
    }
    breakers.forServer("edge-2").onSuccess();

    assertThat(breakers.isHealthy("edge-1")).isFalse();
    assertThat(breakers.isHealthy("edge-2")).isTrue();
    assertThat(breakers.isHealthy("never-called")).isTrue();
    assertThat(breakers.snapshot())
        .containsExactly(java.util.Map.entry("edge-1", false), java.util.Map.entry("edge-2", true));
    assertThat(seen).containsExactly("edge-1=false");
  }

  private void failTimes(int n) {
    for (int i = 0; i < n; i++) {
      breaker.onFailure();
    }
  }
}
