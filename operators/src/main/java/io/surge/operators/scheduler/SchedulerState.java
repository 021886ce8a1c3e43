package io.surge.operators.scheduler;

import io.surge.operators.policy.PolicyUpdateCheck;
import io.surge.schema.PendingDecision;
import io.surge.schema.PolicyUpdate;
import io.surge.state.WorkloadState;
import java.time.Duration;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * Every state descriptor of the scheduler, with names and TTL, in one place. Names are part of
 * savepoints: never rename them. (Kept here rather than in {@code state/}, which must not import
 * Flink.)
 */
public final class SchedulerState {

  private SchedulerState() {}

  /** Broadcast state: the newest valid policy per service ({@link #ALL_SERVICES} for every one). */
  public static final MapStateDescriptor<String, PolicyUpdate> POLICIES =
      new MapStateDescriptor<>(
          "surge.scheduler.policies", Types.STRING, TypeInformation.of(PolicyUpdate.class));

  /** Broadcast-state key of a policy published for every service. */
  public static final String ALL_SERVICES = PolicyUpdateCheck.ALL_SERVICES;

  /** Keyed: the observed workload of the service (estimators, in-flight table, history). */
  public static ValueStateDescriptor<WorkloadState> workload(Duration ttl) {
    ValueStateDescriptor<WorkloadState> d =
        new ValueStateDescriptor<>(
            "surge.scheduler.workload", TypeInformation.of(WorkloadState.class));
    d.enableTimeToLive(ttl(ttl));
    return d;
  }

  /** Keyed: dispatched requests awaiting their completion, by request id. */
  public static MapStateDescriptor<String, PendingDecision> pending(Duration ttl) {
    MapStateDescriptor<String, PendingDecision> d =
        new MapStateDescriptor<>(
            "surge.scheduler.pending", Types.STRING, TypeInformation.of(PendingDecision.class));
    d.enableTimeToLive(ttl(ttl));
    return d;
  }

  /**
   * TTL for a service that stops receiving requests. Processing time only (Flink's TTL); the
   * per-request entries are also removed explicitly on completion or expiry, so TTL is a backstop.
   *
   * <p>No incremental cleanup (Flink's default on the heap backend): it runs on every state access
   * and, for map state, deep-copies the whole map of the key it visits. With the scheduler keyed by
   * service, that map is every pending decision of the service, so each request cost O(requests in
   * flight) Avro copies (the job's bottleneck in {@code surge bench job}). Expired entries are
   * still never returned, dropped from full snapshots, and compacted away on RocksDB.
   */
  private static StateTtlConfig ttl(Duration ttl) {
    return StateTtlConfig.newBuilder(ttl)
        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
        .disableCleanupInBackground()
        .cleanupFullSnapshot()
        .cleanupInRocksdbCompactFilter(1000)
        .build();
  }
}
