package io.surge.sim.disturb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DisturbanceSpecTest {

  @Test
  void parsesEveryKindAndRoundTrips() {
    String text =
        "slowdown:server=1,factor=2.5,at=10,for=30;outage:server=edge-0,at=5,for=2,every=20;"
            + "errors:server=0,at=0.5,for=1";
    DisturbanceSpec spec = DisturbanceSpec.parse(text);

    assertThat(spec.disturbances()).hasSize(3);
    Disturbance slow = spec.disturbances().get(0);
    assertThat(slow.kind()).isEqualTo(Disturbance.Kind.SLOWDOWN);
    assertThat(slow.factor()).isEqualTo(2.5);
    assertThat(slow.serverIndex(List.of("edge-0", "edge-1"))).isEqualTo(1);
    assertThat(spec.disturbances().get(1).serverIndex(List.of("edge-0", "edge-1"))).isZero();
    assertThat(spec.toSpec()).isEqualTo(text);
    assertThat(DisturbanceSpec.parse(spec.toSpec())).isEqualTo(spec);
    assertThat(DisturbanceSpec.parse(" ")).isEqualTo(DisturbanceSpec.NONE);
    assertThat(DisturbanceSpec.parse("none").toSpec()).isEqualTo("none");
  }

  @Test
  void withoutForADisturbanceLastsForGood() {
    String text = "slowdown:server=1,factor=3,at=60";
    Disturbance drift = DisturbanceSpec.parse(text).disturbances().get(0);

    assertThat(drift.duration()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(drift.activeAt(59.9)).isFalse();
    assertThat(drift.activeAt(60)).isTrue();
    assertThat(drift.activeAt(1e9)).isTrue();
    assertThat(drift.toSpec()).isEqualTo(text);
    assertThatThrownBy(() -> DisturbanceSpec.parse("outage:server=0,at=1,every=5"))
        .hasMessageContaining("every must be at least for");
  }

  @Test
  void activeWindowsRepeat() {
    Disturbance d =
        DisturbanceSpec.parse("outage:server=0,at=5,for=2,every=10").disturbances().get(0);
    assertThat(d.activeAt(4.9)).isFalse();
    assertThat(d.activeAt(5)).isTrue();
    assertThat(d.activeAt(7)).isFalse();
    assertThat(d.activeAt(16)).isTrue();
  }

  @Test
  void errorsSayWhatIsWrongAndListTheValidForms() {
    assertThatThrownBy(() -> DisturbanceSpec.parse("meltdown:server=0,at=1,for=2"))
        .isInstanceOf(DisturbanceSpecException.class)
        .hasMessageContaining("unknown disturbance kind 'meltdown'")
        .hasMessageContaining("slowdown:server=S,factor=F,at=T[,for=D[,every=P]]");
    assertThatThrownBy(() -> DisturbanceSpec.parse("slowdown:server=0,at=1,for=2"))
        .hasMessageContaining("missing factor=");
    assertThatThrownBy(() -> DisturbanceSpec.parse("outage:server=0,factor=2,at=1,for=2"))
        .hasMessageContaining("unknown parameter 'factor'");
    assertThatThrownBy(() -> DisturbanceSpec.parse("errors:server=0,at=x,for=2"))
        .hasMessageContaining("at must be a number");
    assertThatThrownBy(() -> DisturbanceSpec.parse("errors:server=0,at=1,for=5,every=2"))
        .hasMessageContaining("every must be at least for");
    assertThatThrownBy(() -> DisturbanceSpec.parse("errors:server=0,at=1,for=1;"))
        .hasMessageContaining("empty disturbance");
    Disturbance unknown =
        DisturbanceSpec.parse("errors:server=edge-9,at=1,for=1").disturbances().get(0);
    assertThatThrownBy(() -> unknown.serverIndex(List.of("edge-0"))).hasMessageContaining("edge-9");
  }

  @Test
  void randomEpisodesStayInBoundsAndFollowTheSeed() {
    RandomDisturbances random = RandomDisturbances.defaults();
    for (long seed = 0; seed < 200; seed++) {
      DisturbanceSpec spec = random.draw(seed, 2, 60);
      assertThat(spec.disturbances()).hasSize(1);
      Disturbance d = spec.disturbances().get(0);
      assertThat(d.factor()).isBetween(1.5, 4.0);
      assertThat(d.duration()).isBetween(5.0, 60.0);
      assertThat(d.at() + d.duration()).isLessThanOrEqualTo(60.001);
      assertThat(DisturbanceSpec.parse(spec.toSpec())).isEqualTo(spec);
      assertThat(random.draw(seed, 2, 60)).isEqualTo(spec);
    }
  }
}
