package io.surge.serving.engine;

import io.surge.serving.engine.ModelStatistics.BatchStat;
import io.surge.serving.engine.ModelStatistics.Stat;
import io.surge.serving.grpc.v2.InferBatchStatistics;
import io.surge.serving.grpc.v2.InferStatistics;
import io.surge.serving.grpc.v2.ModelStatisticsResponse;
import io.surge.serving.grpc.v2.StatisticDuration;
import java.util.List;

/** {@link ModelStatistics} to and from Triton's gRPC {@code ModelStatisticsResponse}. */
public final class ModelStatisticsProto {

  private ModelStatisticsProto() {}

  public static ModelStatisticsResponse toProto(List<ModelStatistics> stats) {
    ModelStatisticsResponse.Builder b = ModelStatisticsResponse.newBuilder();
    for (ModelStatistics s : stats) {
      io.surge.serving.grpc.v2.ModelStatistics.Builder m =
          io.surge.serving.grpc.v2.ModelStatistics.newBuilder()
              .setName(s.name())
              .setVersion(s.version())
              .setLastInference(s.lastInferenceMillis())
              .setInferenceCount(s.inferenceCount())
              .setExecutionCount(s.executionCount())
              .setInferenceStats(
                  InferStatistics.newBuilder()
                      .setSuccess(duration(s.success()))
                      .setFail(duration(s.fail()))
                      .setQueue(duration(s.queue()))
                      .setComputeInput(duration(s.computeInput()))
                      .setComputeInfer(duration(s.computeInfer()))
                      .setComputeOutput(duration(s.computeOutput())));
      for (BatchStat batch : s.batchStats()) {
        m.addBatchStats(
            InferBatchStatistics.newBuilder()
                .setBatchSize(batch.batchSize())
                .setComputeInput(duration(batch.computeInput()))
                .setComputeInfer(duration(batch.computeInfer()))
                .setComputeOutput(duration(batch.computeOutput())));
      }
      b.addModelStats(m);
    }
    return b.build();
  }

  public static List<ModelStatistics> fromProto(ModelStatisticsResponse response) {
    return response.getModelStatsList().stream().map(ModelStatisticsProto::fromProto).toList();
  }

  private static ModelStatistics fromProto(io.surge.serving.grpc.v2.ModelStatistics m) {
    InferStatistics s = m.getInferenceStats();
    List<BatchStat> batches =
        m.getBatchStatsList().stream()
            .map(
                b ->
                    new BatchStat(
                        (int) b.getBatchSize(),
                        stat(b.getComputeInput()),
                        stat(b.getComputeInfer()),
                        stat(b.getComputeOutput())))
            .toList();
    return new ModelStatistics(
        m.getName(),
        m.getVersion(),
        m.getLastInference(),
        m.getInferenceCount(),
        m.getExecutionCount(),
        stat(s.getSuccess()),
        stat(s.getFail()),
        stat(s.getQueue()),
        stat(s.getComputeInput()),
        stat(s.getComputeInfer()),
        stat(s.getComputeOutput()),
        batches);
  }

  private static StatisticDuration duration(Stat stat) {
    return StatisticDuration.newBuilder().setCount(stat.count()).setNs(stat.ns()).build();
  }

  private static Stat stat(StatisticDuration d) {
    return new Stat(d.getCount(), d.getNs());
  }
}
