package io.surge.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.state.ObservationBuilder;
import io.surge.state.TestServices;
import io.surge.state.WorkloadState;
import org.junit.jupiter.api.Test;

class RouterTest {

  private final ObservationBuilder builder = TestServices.builder();
  private final WorkloadState state = builder.tracker().newState();
  private final Router router = new Router(builder.latency());

  @Test
  void tiesGoToTheFirstServerInCatalogOrder() {
    assertThat(router.route(state, 0, 0b11)).isEqualTo(0);
    assertThat(router.route(state, 2, 0b11)).isEqualTo(0);
  }

  @Test
  void picksTheServerWithLeastOutstandingWork() {
    builder.tracker().onDispatch(state, 1, 0, 0, 0); // s0: one small, 5 ms
    assertThat(router.route(state, 2, 0b11)).isEqualTo(1);
    builder.tracker().onDispatch(state, 2, 2, 1, 0); // s1: one large, 20 ms
    assertThat(router.route(state, 0, 0b11)).isEqualTo(0);
  }

  @Test
  void outstandingWorkCountsBatching() {
    // s0: 4 small = one batch of 4 = 12 ms; s1: 1 large = 20 ms
    for (int i = 1; i <= 4; i++) {
      builder.tracker().onDispatch(state, i, 0, 0, 0);
    }
    builder.tracker().onDispatch(state, 9, 2, 1, 0);
    assertThat(router.route(state, 2, 0b11)).isEqualTo(0);
  }

  @Test
  void onlyHealthyHostsAreUsed() {
    assertThat(router.route(state, 0, 0b10)).isEqualTo(1);
    assertThat(router.route(state, 1, 0b10)).as("medium only on s0").isEqualTo(Router.NO_SERVER);
    assertThat(router.route(state, 2, 0)).isEqualTo(Router.NO_SERVER);
  }
}
