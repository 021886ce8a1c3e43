package io.surge.jobs.scheduler;

import io.surge.operators.kafka.RawRecord;
import io.surge.schema.Completion;
import io.surge.schema.DeadLetter;
import io.surge.schema.InferenceResult;
import io.surge.schema.Transition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The scheduling job's sources and sinks, passed into the graph so tests can swap them. */
public interface SchedulerJobIo {

  DataStream<RawRecord> requests(StreamExecutionEnvironment env);

  DataStream<RawRecord> completions(StreamExecutionEnvironment env);

  DataStream<RawRecord> policies(StreamExecutionEnvironment env);

  void results(DataStream<InferenceResult> results);

  void completions(DataStream<Completion> completions);

  void experience(DataStream<Transition> transitions);

  void deadLetters(DataStream<DeadLetter> deadLetters);
}
