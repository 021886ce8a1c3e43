package io.surge.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.serving.engine.ModelStatistics;
import io.surge.serving.engine.ModelStatistics.BatchStat;
import io.surge.serving.engine.ModelStatistics.Stat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchMixTest {

  @Test
  void countsOnlyTheExecutionsBetweenTwoReads() {
    ModelStatistics before = stats(List.of(batch(1, 5), batch(8, 2)));
    ModelStatistics after = stats(List.of(batch(1, 5), batch(8, 6), batch(16, 3)));

    BatchMix mix = BatchMix.between(before, after);

    assertThat(mix.executionsByBatch()).isEqualTo(Map.of(8, 4L, 16, 3L));
    assertThat(mix.executions()).isEqualTo(7);
    assertThat(mix.rows()).isEqualTo(8 * 4 + 16 * 3);
    assertThat(mix.meanBatch()).isEqualTo((8 * 4 + 16 * 3) / 7.0);
    assertThat(mix.batchSizes()).containsExactly(8, 16);
  }

  @Test
  void nothingRanMeansMeanBatchZero() {
    ModelStatistics same = stats(List.of(batch(4, 9)));

    assertThat(BatchMix.between(same, same).meanBatch()).isZero();
  }

  @Test
  void twoMixesAddUpBatchByBatch() {
    BatchMix a = new BatchMix(Map.of(16, 3L, 4, 1L));
    BatchMix b = new BatchMix(Map.of(16, 2L, 1, 5L));

    BatchMix sum = a.plus(b);

    assertThat(sum.executionsAt(16)).isEqualTo(5);
    assertThat(sum.executionsAt(8)).isZero();
    assertThat(sum.executions()).isEqualTo(11);
    assertThat(sum.rows()).isEqualTo(5 * 16 + 4 + 5);
  }

  private static BatchStat batch(int size, long executions) {
    Stat none = new Stat(executions, 0);
    return new BatchStat(size, none, new Stat(executions, executions * 1_000_000L), none);
  }

  private static ModelStatistics stats(List<BatchStat> batches) {
    Stat zero = new Stat(0, 0);
    return new ModelStatistics("m", "1", 0, 0, 0, zero, zero, zero, zero, zero, zero, batches);
  }
}
