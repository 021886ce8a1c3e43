package io.surge.operators.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.schema.Dispatch;
import io.surge.schema.InferenceRequest;
import io.surge.schema.InferenceResult;
import io.surge.schema.ResultStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The invoker in a real job on a MiniCluster: the function and its call factory serialize, the
 * results are Avro (no Kryo fallback), and every dispatch yields one result.
 */
class InferenceInvokerITCase {

  @RegisterExtension
  static final MiniClusterExtension CLUSTER =
      new MiniClusterExtension(
          new MiniClusterResourceConfiguration.Builder()
              .setNumberTaskManagers(1)
              .setNumberSlotsPerTaskManager(2)
              .build());

  /** Answers at once for {@code edge-1}; {@code edge-2} answers 503 to every call. */
  static final class ScriptedCallFactory implements InferenceCallFactory {
    @Override
    public InferenceCall create() {
      return new InferenceCall() {
        @Override
        public CompletableFuture<CallAnswer> infer(Dispatch dispatch, Duration timeout) {
          if (dispatch.getServer().equals("edge-2")) {
            return CompletableFuture.failedFuture(
                CallFailure.http(503, "Exceeds maximum queue size"));
          }
          return CompletableFuture.completedFuture(new CallAnswer(null, 1.0));
        }

        @Override
        public CompletableFuture<Boolean> ready(String server) {
          return CompletableFuture.completedFuture(false);
        }
      };
    }
  }

  @Test
  void everyDispatchYieldsOneResult() throws Exception {
    Configuration conf = new Configuration();
    conf.set(PipelineOptions.GENERIC_TYPES, false);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    List<Dispatch> dispatches = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      dispatches.add(dispatch("r" + i, i % 2 == 0 ? "edge-1" : "edge-2"));
    }
    DataStream<Dispatch> input =
        env.fromData(new AvroTypeInfo<>(Dispatch.class), dispatches.toArray(new Dispatch[0]));
    InferenceInvoker invoker =
        new InferenceInvoker(new ScriptedCallFactory(), InvokerSettings.defaults());

    List<InferenceResult> results = new ArrayList<>();
    InvokerStage.apply(input, invoker, Duration.ofSeconds(10), 100)
        .uid("inference-invoker")
        .name("inference invoker")
        .executeAndCollect()
        .forEachRemaining(results::add);

    assertThat(results).hasSize(20);
    assertThat(results.stream().map(InferenceResult::getRequestId).distinct()).hasSize(20);
    Map<String, Long> byStatus =
        results.stream()
            .collect(Collectors.groupingBy(InferenceResult::getStatus, Collectors.counting()));
    assertThat(byStatus.get(ResultStatus.OK.name())).isEqualTo(10);
    assertThat(byStatus.get(ResultStatus.FAILED.name())).isEqualTo(10);
    assertThat(results)
        .filteredOn(r -> r.getStatus().equals(ResultStatus.FAILED.name()))
        .allSatisfy(
            r ->
                assertThat(r.getError())
                    .matches(
                        "edge-2 answered HTTP 503: Exceeds maximum queue size|circuit open for server edge-2"));
  }

  private static Dispatch dispatch(String requestId, String server) {
    Instant now = Instant.now();
    InferenceRequest request =
        InferenceRequest.newBuilder()
            .setRequestId(requestId)
            .setService("image-classification")
            .setCreatedAt(now)
            .setDeadlineMs(10_000)
            .build();
    return Dispatch.newBuilder()
        .setRequest(request)
        .setVariant("resnet18")
        .setModel("resnet18")
        .setServer(server)
        .setAccuracy(69.76)
        .setPolicyVersion(1L)
        .setDecidedAt(now)
        .build();
  }
}
