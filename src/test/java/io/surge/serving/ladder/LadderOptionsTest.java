package io.surge.serving.ladder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LadderOptionsTest {

  @Test
  void defaultsDescribeTheCalibratedImageClassificationLadder() {
    LadderOptions options = LadderOptions.defaults();
    assertThat(options.service()).isEqualTo("image-classification");
    assertThat(options.deadlineMs()).isEqualTo(100);
    assertThat(options.scale()).isEqualTo(1.0);
    assertThat(options.servers())
        .containsExactly(LadderOptions.ServerSpec.hostingAll("edge-0", "http://127.0.0.1:8000"));
    assertThat(options.table().rungs())
        .extracting(LadderRung::accuracy)
        .containsExactly(69.76, 73.31, 76.13, 77.37, 78.31);
    assertThat(options.batching().queueTimeoutMicros()).isEqualTo(100_000);
  }

  @Test
  void deadlineChangeMovesTheDefaultQueueTimeoutOnly() {
    assertThat(LadderOptions.defaults().withDeadlineMs(40).batching().queueTimeoutMicros())
        .isEqualTo(40_000);
    LadderOptions custom =
        LadderOptions.defaults()
            .withBatching(new LadderOptions.Batching(16, List.of(8), 1000, 5000, 10));
    assertThat(custom.withDeadlineMs(40).batching().queueTimeoutMicros()).isEqualTo(5000);
  }

  @Test
  void parsesServersFromNameEqualsUrl() {
    assertThat(LadderOptions.ServerSpec.parse("edge-1 = http://10.1.2.3:8000"))
        .isEqualTo(LadderOptions.ServerSpec.hostingAll("edge-1", "http://10.1.2.3:8000"));
    assertThatThrownBy(() -> LadderOptions.ServerSpec.parse("edge-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name=url");
    assertThatThrownBy(() -> LadderOptions.ServerSpec.parse("edge-1=ftp://x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http(s) URL");
  }

  @Test
  void rejectsBadValuesWithClearMessages() {
    LadderOptions ok = LadderOptions.defaults();
    assertThatThrownBy(() -> ok.withScale(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scale");
    assertThatThrownBy(() -> ok.withDeadlineMs(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deadline_ms");
    assertThatThrownBy(() -> ok.withService("bad name/../x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("service");
    assertThatThrownBy(() -> ok.withServers(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("server");
    assertThatThrownBy(() -> new LadderOptions.Batching(8, List.of(16), 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("preferred batch size 16");
  }

  @Test
  void tableRejectsUnorderedRungsAndBadShapes() {
    LadderTable table = LadderTable.imageClassification();
    List<LadderRung> reversed = new ArrayList<>(table.rungs());
    Collections.reverse(reversed);
    assertThatThrownBy(
            () ->
                new LadderTable(table.inputDims(), table.pool(), table.width(), 2, 1000, reversed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("increasing accuracy");
    assertThatThrownBy(() -> new LadderTable(List.of(3L, 30L, 30L), 4, 64, 2, 1000, table.rungs()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pool");
    assertThatThrownBy(() -> table.withDepths(List.of(1, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need 5 depths");
  }
}
