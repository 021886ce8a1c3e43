package io.surge.operators.invoke;

import io.surge.schema.Dispatch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link InferenceCall} whose calls and probes the test completes by hand. */
final class ControllableCall implements InferenceCall {

  /** One call the invoker made. */
  record Call(Dispatch dispatch, Duration timeout, CompletableFuture<CallAnswer> answer) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  final List<CompletableFuture<Boolean>> probes = new CopyOnWriteArrayList<>();
  final List<String> probedServers = new CopyOnWriteArrayList<>();
  volatile boolean closed;

  @Override
  public CompletableFuture<CallAnswer> infer(Dispatch dispatch, Duration timeout) {
    CompletableFuture<CallAnswer> answer = new CompletableFuture<>();
    calls.add(new Call(dispatch, timeout, answer));
    return answer;
  }

  @Override
  public CompletableFuture<Boolean> ready(String server) {
    CompletableFuture<Boolean> probe = new CompletableFuture<>();
    probedServers.add(server);
    probes.add(probe);
    return probe;
  }

  @Override
  public void close() {
    closed = true;
  }

  Call last() {
    return calls.get(calls.size() - 1);
  }
}
