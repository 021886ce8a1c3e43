package io.surge.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicsTest {

  @Test
  void prefixesEveryName() {
    Topics topics = Topics.withPrefix("demo.");
    assertThat(topics.newTopics())
        .extracting(NewTopic::name)
        .containsExactly(
            "demo.requests",
            "demo.completions",
            "demo.policies",
            "demo.results",
            "demo.experience",
            "demo.dead-letters");
    assertThat(Topics.defaults().deadLetters()).isEqualTo("dead-letters");
  }

  @Test
  void policiesHaveOnePartitionAndAreCompacted() {
    NewTopic policies = byName(Topics.defaults().withPartitions(8), "policies");
    NewTopic results = byName(Topics.defaults().withPartitions(8), "results");

    assertThat(policies.numPartitions()).isEqualTo(1);
    assertThat(policies.configs()).containsEntry("cleanup.policy", "compact");
    assertThat(policies.configs()).doesNotContainKey("retention.ms");
    assertThat(results.numPartitions()).isEqualTo(8);
    assertThat(results.configs())
        .containsEntry("cleanup.policy", "delete")
        .containsEntry("retention.ms", String.valueOf(7L * 24 * 3600 * 1000));
  }

  @Test
  void replicationFollowsTheBrokerUnlessSet() {
    assertThat(byName(Topics.defaults(), "requests").replicationFactor()).isEqualTo((short) -1);
    assertThat(
            byName(Topics.defaults().withReplicationFactor((short) 3), "requests")
                .replicationFactor())
        .isEqualTo((short) 3);
  }

  @Test
  void rejectsIllegalPrefixesAndCounts() {
    assertThatThrownBy(() -> Topics.withPrefix("bad prefix/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("topic prefix 'bad prefix/'");
    assertThatThrownBy(() -> Topics.defaults().withPartitions(0))
        .hasMessageContaining("partitions must be at least 1");
    assertThatThrownBy(() -> Topics.defaults().withReplicationFactor((short) 0))
        .hasMessageContaining("replication factor must be at least 1");
  }

  private static NewTopic byName(Topics topics, String base) {
    Optional<NewTopic> found =
        topics.newTopics().stream()
            .filter(t -> t.name().equals(topics.prefix() + base))
            .findFirst();
    return found.orElseThrow();
  }
}
