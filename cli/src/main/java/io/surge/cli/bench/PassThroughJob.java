package io.surge.cli.bench;

import io.surge.jobs.scheduler.SchedulerJobIo;
import io.surge.operators.validate.RequestValidationFunction;
import io.surge.schema.InferenceRequest;
import io.surge.schema.InferenceResult;
import io.surge.schema.ResultStatus;
import io.surge.state.catalog.Catalog;
import java.time.Instant;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The baseline of the throughput benchmark: everything of the scheduling job that is not
 * scheduling. The same Kafka source, the same decoding and validation, the same keying by service
 * and the same exactly-once results sink, with a trivial map from request to result in between.
 */
final class PassThroughJob {

  private PassThroughJob() {}

  static void defineWorkflow(
      StreamExecutionEnvironment env, SchedulerJobIo io, Catalog catalog, int maxDeadlineMs) {
    io.results(
        io.requests(env)
            .process(new RequestValidationFunction(catalog, 1 << 20, maxDeadlineMs))
            .uid("bench-validate-requests")
            .name("validate requests")
            .keyBy(new ByService())
            .map(new ToResult())
            .uid("bench-to-result")
            .name("to result"));
  }

  /** Keys requests by service, as the scheduler does. */
  static final class ByService implements KeySelector<InferenceRequest, String> {
    @Override
    public String getKey(InferenceRequest request) {
      return request.getService();
    }
  }

  /** An OK result "served" in no time by no variant. */
  static final class ToResult implements MapFunction<InferenceRequest, InferenceResult> {
    @Override
    public InferenceResult map(InferenceRequest request) {
      long now = System.currentTimeMillis();
      Instant at = Instant.ofEpochMilli(now);
      return InferenceResult.newBuilder()
          .setRequestId(request.getRequestId())
          .setService(request.getService())
          .setPolicyVersion(0)
          .setStatus(ResultStatus.OK.name())
          .setCreatedAt(request.getCreatedAt())
          .setDecidedAt(at)
          .setCompletedAt(at)
          .setLatencyMs(Math.max(0, now - request.getCreatedAt().toEpochMilli()))
          .setAccuracy(0)
          .setReward(1)
          .build();
    }
  }
}
