package io.surge.operators.invoke;

import io.surge.schema.Dispatch;
import io.surge.schema.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Micro-batched calls: dispatches for the same model on the same server that arrive within the
 * window of the first go out as one protocol call ({@link BatchedInferenceCall#inferBatch}), sent
 * when it holds {@code maxRows} rows or when the window ends; each dispatch gets its own part of
 * the answer.
 *
 * <p>Each dispatch keeps its own timeout: the call gets the largest of the group's, and a dispatch
 * whose own time runs out first ends with a {@link CallFailure.Kind#TIMEOUT} while the others wait
 * for the answer. A failed call fails the future of each of its dispatches, once. The invoker above
 * still sees one future per dispatch, so every dispatch ends in exactly one result with its own
 * status, latency and deadline check.
 */
public final class MicroBatchingCall implements InferenceCall {

  private final BatchedInferenceCall calls;
  private final MicroBatchSettings settings;
  private final ScheduledExecutorService timer;
  private final Map<GroupKey, Group> open = new HashMap<>();

  public MicroBatchingCall(BatchedInferenceCall calls, MicroBatchSettings settings) {
    this.calls = calls;
    this.settings = settings;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "surge-invoker-micro-batch");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The factory of {@code inner}'s calls, micro-batched when the settings enable it; {@code inner}
   * must then make {@link BatchedInferenceCall}s.
   */
  public static InferenceCallFactory factory(
      InferenceCallFactory inner, MicroBatchSettings settings) {
    return settings.enabled() ? new Factory(inner, settings) : inner;
  }

  @Override
  public CompletableFuture<CallAnswer> infer(Dispatch dispatch, Duration timeout) {
    Member member = new Member(dispatch, rowsOf(dispatch), new CompletableFuture<>(), timeout);
    if (member.rows >= settings.maxRows()) {
      send(List.of(member));
      return withOwnTimeout(member);
    }
    GroupKey key = new GroupKey(dispatch.getServer(), dispatch.getModel());
    List<Member> ready = null;
    List<Member> full = null;
    synchronized (open) {
      Group group = open.get(key);
      if (group != null && group.rows + member.rows > settings.maxRows()) {
        // no room: the open call leaves now, this dispatch starts the next one
        open.remove(key);
        ready = group.members;
        group = null;
      }
      if (group == null) {
        group = new Group(key);
        open.put(key, group);
        Group scheduled = group;
        timer.schedule(
            () -> flushIfOpen(scheduled), settings.window().toNanos(), TimeUnit.NANOSECONDS);
      }
      group.add(member);
      if (group.rows >= settings.maxRows()) {
        open.remove(key);
        full = group.members;
      }
    }
    if (ready != null) {
      send(ready);
    }
    if (full != null) {
      send(full);
    }
    return withOwnTimeout(member);
  }

  private void flushIfOpen(Group group) {
    synchronized (open) {
      if (open.get(group.key) != group) {
        return; // already sent when it filled up
      }
      open.remove(group.key);
    }
    send(group.members);
  }

  private void send(List<Member> members) {
    List<Dispatch> dispatches = new ArrayList<>(members.size());
    Duration timeout = Duration.ZERO;
    for (Member m : members) {
      dispatches.add(m.dispatch);
      timeout = m.timeout.compareTo(timeout) > 0 ? m.timeout : timeout;
    }
    CompletableFuture<List<CallAnswer>> answers;
    try {
      answers = calls.inferBatch(dispatches, timeout);
    } catch (RuntimeException e) {
      answers = CompletableFuture.failedFuture(e);
    }
    answers.whenComplete(
        (list, error) -> {
          if (error == null && (list == null || list.size() != members.size())) {
            error =
                CallFailure.protocol(
                    "a batched call answered "
                        + (list == null ? "nothing" : list.size() + " parts")
                        + " for "
                        + members.size()
                        + " dispatches",
                    null);
          }
          for (int i = 0; i < members.size(); i++) {
            if (error != null) {
              members.get(i).answer.completeExceptionally(error);
            } else {
              members.get(i).answer.complete(list.get(i));
            }
          }
        });
  }

  /** The dispatch's own answer, or a timeout once its own slack is gone. */
  private static CompletableFuture<CallAnswer> withOwnTimeout(Member member) {
    CompletableFuture<CallAnswer> own = new CompletableFuture<>();
    member
        .answer
        .orTimeout(Math.max(1, member.timeout.toNanos()), TimeUnit.NANOSECONDS)
        .whenComplete(
            (answer, error) -> {
              if (error == null) {
                own.complete(answer);
              } else if (unwrap(error) instanceof TimeoutException) {
                own.completeExceptionally(
                    CallFailure.timeout(
                        "no answer within "
                            + member.timeout.toMillis()
                            + " ms from a batched call to "
                            + member.dispatch.getServer()));
              } else {
                own.completeExceptionally(unwrap(error));
              }
            });
    return own;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** Rows the dispatch adds to a call: its payload's first dimension, 1 without a payload. */
  static int rowsOf(Dispatch dispatch) {
    Tensor payload = dispatch.getRequest().getPayload();
    if (payload == null || payload.getShape().isEmpty()) {
      return 1;
    }
    long rows = payload.getShape().get(0);
    return rows < 1 || rows > Integer.MAX_VALUE ? 1 : (int) rows;
  }

  @Override
  public CompletableFuture<Boolean> ready(String server) {
    return calls.ready(server);
  }

  /** Sends what is still waiting, then closes the calls. */
  @Override
  public void close() throws Exception {
    List<List<Member>> waiting = new ArrayList<>();
    synchronized (open) {
      open.values().forEach(g -> waiting.add(g.members));
      open.clear();
    }
    waiting.forEach(this::send);
    timer.shutdownNow();
    calls.close();
  }

  private record Member(
      Dispatch dispatch, int rows, CompletableFuture<CallAnswer> answer, Duration timeout) {}

  /** The dispatches of one call still being gathered. */
  private static final class Group {
    final GroupKey key;
    final List<Member> members = new ArrayList<>();
    int rows;

    Group(GroupKey key) {
      this.key = key;
    }

    void add(Member member) {
      members.add(member);
      rows += member.rows;
    }
  }

  /** Dispatches for the same model on the same server share a call. */
  private record GroupKey(String server, String model) {}

  private record Factory(InferenceCallFactory inner, MicroBatchSettings settings)
      implements InferenceCallFactory {

    @Override
    public InferenceCall create() throws Exception {
      InferenceCall call = inner.create();
      if (!(call instanceof BatchedInferenceCall batched)) {
        throw new IllegalStateException(
            "micro-batching needs calls that batch; " + call.getClass().getName() + " does not");
      }
      return new MicroBatchingCall(batched, settings);
    }
  }
}
