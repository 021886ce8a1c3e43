package io.surge.cli.bench;

import java.util.List;

/**
 * Where the CPU of {@code surge bench job} goes, by thread name: everything runs in this JVM (the
 * KRaft broker, the MiniCluster's job, the embedded servers, the benchmark's results reader), so a
 * thread's name tells its component. The requests are pre-loaded before the jobs run: the load
 * generator uses no CPU while a job is measured.
 */
final class JobCpuSplit {

  static final String BROKER = "broker";
  static final String JOB = "job";
  static final String SERVERS = "servers";
  static final String READER = "results reader";
  static final String OTHER_JAVA = "other java";

  /** The groups in the order reported; {@link ThreadCpu#OTHER} (GC, JIT) is added last. */
  static final List<String> GROUPS = List.of(BROKER, JOB, SERVERS, READER, OTHER_JAVA);

  private JobCpuSplit() {}

  static String group(String name) {
    if (name.startsWith("surge-http")
        || name.startsWith("HTTP-Dispatcher")
        || name.startsWith("surge-engine")
        || name.startsWith("grpc-")) {
      return SERVERS;
    }
    if (name.startsWith("bench-results")) {
      return READER;
    }
    if (isJob(name)) {
      return JOB;
    }
    if (isBroker(name)) {
      return BROKER;
    }
    return OTHER_JAVA;
  }

  /** Flink's task, mailbox and checkpoint threads, the job's Kafka clients and its HTTP clients. */
  private static boolean isJob(String name) {
    return name.contains(")#") // task threads: "Source: requests (1/2)#0"
        || name.startsWith("Flink")
        || name.startsWith("flink-")
        || name.startsWith("Source Data Fetcher")
        || name.startsWith("OutputFlusher")
        || name.startsWith("AsyncOperations")
        || name.startsWith("Checkpoint")
        || name.startsWith("jobmanager")
        || name.startsWith("mini-cluster")
        || name.startsWith("pekko")
        || name.startsWith("surge-kserve-http")
        || name.startsWith("surge-bench-http")
        || name.startsWith("HttpClient")
        || name.startsWith("kafka-producer-network-thread")
        || name.startsWith("kafka-coordinator-heartbeat-thread");
  }

  /** The KRaft broker's own threads (its clients' threads are the job's, above). */
  private static boolean isBroker(String name) {
    return name.startsWith("kafka-")
        || name.startsWith("data-plane")
        || name.startsWith("broker-")
        || name.startsWith("controller-")
        || name.startsWith("raft")
        || name.startsWith("quorum")
        || name.startsWith("ExpirationReaper")
        || name.startsWith("TxnMarkerSenderThread")
        || name.startsWith("transaction")
        || name.startsWith("group-coordinator")
        || name.startsWith("share-")
        || name.startsWith("LogDirFailureHandler")
        || name.startsWith("ReplicaFetcher")
        || name.startsWith("executor-")
        || name.startsWith("metrics-meter")
        || name.startsWith("kafka-scheduler");
  }
}
