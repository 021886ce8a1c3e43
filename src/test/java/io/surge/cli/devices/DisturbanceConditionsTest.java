package io.surge.cli.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.serving.engine.DeviceConditions;
import io.surge.serving.engine.DeviceConditions.State;
import io.surge.sim.disturb.DisturbanceSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one disturbance grammar, as the emulated device of one server sees it. */
class DisturbanceConditionsTest {

  private static final List<String> SERVERS = List.of("edge-0", "edge-1");

  @Test
  void eachServerSeesOnlyItsOwnWindowsAndFactorsMultiply() {
    DisturbanceSpec spec =
        DisturbanceSpec.parse(
            "slowdown:server=0,factor=2,at=10,for=10;slowdown:server=edge-0,factor=1.5,at=15,for=10"
                + ";errors:server=1,at=5,for=2;outage:server=edge-1,at=30,for=5,every=60");
    DeviceConditions first = DisturbanceConditions.forServer(spec, SERVERS, 0);
    DeviceConditions second = DisturbanceConditions.forServer(spec, SERVERS, 1);

    assertThat(first.at(9.9)).isEqualTo(State.NORMAL);
    assertThat(first.at(10).slowdown()).isEqualTo(2);
    assertThat(first.at(16).slowdown()).isEqualTo(3);
    assertThat(first.at(21).slowdown()).isEqualTo(1.5);
    assertThat(first.at(31)).isEqualTo(State.NORMAL);

    assertThat(second.at(6)).isEqualTo(new State(1, false, true));
    assertThat(second.at(8)).isEqualTo(State.NORMAL);
    assertThat(second.at(31).down()).isTrue();
    assertThat(second.at(91).down()).isTrue();
    assertThat(second.at(36).down()).isFalse();
  }

  @Test
  void noDisturbanceAndUnknownServers() {
    assertThat(DisturbanceConditions.forServer(DisturbanceSpec.NONE, SERVERS, 0))
        .isSameAs(DeviceConditions.NONE);
    assertThatThrownBy(
            () ->
                DisturbanceConditions.forServer(
                    DisturbanceSpec.parse("outage:server=edge-7,at=1,for=1"), SERVERS, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("edge-7");
  }
}
