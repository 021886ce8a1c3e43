package io.surge.jobs.scheduler;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.surge.jobs.config.JobConfig;
import io.surge.jobs.config.SurgeOptions;
import java.nio.file.Path;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration errors at submit time are one line that names the option to fix. */
class SchedulerJobConfigTest {

  @Test
  void aMissingCatalogNamesTheOptionsInOneLine(@TempDir Path dir) {
    Configuration config =
        JobConfig.fromArgs(
            new String[] {
              "--" + SurgeOptions.CATALOG.key(), dir.resolve("catalog.yaml").toString(),
              "--" + SurgeOptions.PROFILE.key(), dir.resolve("profile.json").toString()
            });
    assertThatThrownBy(() -> SchedulerJob.settingsAtSubmit(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cannot read catalog " + dir.resolve("catalog.yaml"))
        .hasMessageContaining("--surge.catalog")
        .hasMessageContaining("--surge.profile")
        .hasMessageNotContaining("\n");
  }

  @Test
  void serversWithoutAProfileAreFound() {
    io.surge.state.catalog.Catalog catalog =
        io.surge.state.catalog.Catalog.load(Path.of("deploy/calibration/catalog.yaml"));
    io.surge.state.catalog.LatencyProfile full = EndToEnd.roughProfile(catalog);
    org.assertj.core.api.Assertions.assertThat(SchedulerJob.unprofiledServers(catalog, full))
        .isEmpty();
    String first = catalog.servers().get(0).name();
    io.surge.state.catalog.LatencyProfile partial =
        new io.surge.state.catalog.LatencyProfile(
            "test",
            "partial",
            full.entries().stream().filter(e -> e.server().equals(first)).toList());
    org.assertj.core.api.Assertions.assertThat(SchedulerJob.unprofiledServers(catalog, partial))
        .containsExactlyElementsOf(
            catalog.servers().stream()
                .map(io.surge.state.catalog.Catalog.Server::name)
                .filter(n -> !n.equals(first))
                .toList());
  }

  @Test
  void aFixedVariantTheCatalogLacksFailsAtSubmit() {
    io.surge.state.catalog.Catalog catalog =
        io.surge.state.catalog.Catalog.load(Path.of("deploy/calibration/catalog.yaml"));
    io.surge.state.catalog.LatencyProfile profile = EndToEnd.roughProfile(catalog);
    Configuration config = new Configuration();
    config.set(SurgeOptions.INITIAL_POLICY, "fixed:resnet50-like");
    org.assertj.core.api.Assertions.assertThat(
            SchedulerSettings.of(catalog, profile, config).fallbackPolicy())
        .isEqualTo("fixed:resnet50-like");

    config.set(SurgeOptions.INITIAL_POLICY, "fixed:resnet51");
    assertThatThrownBy(() -> SchedulerSettings.of(catalog, profile, config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no variant 'resnet51'");
  }

  @Test
  void aMissingOptionIsNamed() {
    Configuration config = new Configuration();
    config.set(SurgeOptions.CATALOG, "");
    assertThatThrownBy(() -> SchedulerJob.settingsAtSubmit(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("missing required option " + SurgeOptions.CATALOG.key());
  }
}
