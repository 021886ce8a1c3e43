package io.surge.operators.scheduler;

import io.surge.operators.kafka.RawRecord;
import io.surge.operators.validate.DeadLetters;
import io.surge.schema.Completion;
import io.surge.schema.InferenceRequest;
import io.surge.schema.InferenceResult;
import io.surge.schema.ResultStatus;
import io.surge.schema.SchedulerInput;
import io.surge.schema.wire.AvroWire;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** The small functions around the scheduler: its one keyed input, and its feedback loop. */
public final class SchedulerInputs {

  private SchedulerInputs() {}

  /** The scheduler's key: the service. */
  public static final class ByService implements KeySelector<SchedulerInput, String> {
    @Override
    public String getKey(SchedulerInput input) {
      return input.getService();
    }
  }

  /** A validated request as scheduler input. */
  public static final class FromRequest implements MapFunction<InferenceRequest, SchedulerInput> {
    @Override
    public SchedulerInput map(InferenceRequest request) {
      return SchedulerInput.newBuilder()
          .setService(request.getService())
          .setRequest(request)
          .build();
    }
  }

  /** Decodes the completions topic; an undecodable record is dead-lettered, never fatal. */
  public static final class FromCompletionRecord
      extends ProcessFunction<RawRecord, SchedulerInput> {
    private transient AvroWire<Completion> wire;

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<SchedulerInput> out) {
      if (wire == null) {
        wire = AvroWire.of(Completion.class);
      }
      try {
        Completion completion = wire.deserialize(raw.value, raw.schemaHeader);
        out.collect(
            SchedulerInput.newBuilder()
                .setService(completion.getService())
                .setCompletion(completion)
                .build());
      } catch (AvroWire.InvalidRecordException e) {
        ctx.output(
            DeadLetters.TAG,
            DeadLetters.of(raw, e.getMessage(), ctx.timerService().currentProcessingTime()));
      }
    }
  }

  /** The completion of each served request (shed ones never were in flight). */
  public static final class ToCompletion implements FlatMapFunction<InferenceResult, Completion> {
    @Override
    public void flatMap(InferenceResult result, Collector<Completion> out) {
      if (!ResultStatus.SHED.name().equals(result.getStatus())) {
        out.collect(SchedulerRecords.completion(result));
      }
    }
  }
}
