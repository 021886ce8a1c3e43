package io.surge.jobs.scheduler;

import java.time.Duration;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;

/** Waiting on a job in a MiniCluster. */
public final class Jobs {

  private Jobs() {}

  /** Waits until every task of the job runs (job status RUNNING comes earlier). */
  public static void awaitAllTasksRunning(MiniCluster cluster, JobID job, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      AccessExecutionGraph graph = cluster.getExecutionGraph(job).get();
      boolean allRunning = true;
      for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
        allRunning &= v.getExecutionState() == ExecutionState.RUNNING;
      }
      if (allRunning) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("job " + job + " did not start all its tasks within " + timeout);
  }
}
