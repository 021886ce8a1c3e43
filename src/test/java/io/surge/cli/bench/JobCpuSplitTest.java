package io.surge.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Thread names as this JVM's parts name them, and the component each one's CPU counts for. */
class JobCpuSplitTest {

  @Test
  void threadsAreToldApartByName() {
    assertThat(JobCpuSplit.group("surge-http-2-1")).isEqualTo(JobCpuSplit.SERVERS);
    assertThat(JobCpuSplit.group("surge-engine-execute-edge-0")).isEqualTo(JobCpuSplit.SERVERS);
    assertThat(JobCpuSplit.group("Scheduler -> Invoker (1/2)#0")).isEqualTo(JobCpuSplit.JOB);
    assertThat(JobCpuSplit.group("surge-kserve-http-3-1")).isEqualTo(JobCpuSplit.JOB);
    assertThat(JobCpuSplit.group("kafka-producer-network-thread | producer-1"))
        .isEqualTo(JobCpuSplit.JOB);
    assertThat(JobCpuSplit.group("data-plane-kafka-request-handler-0"))
        .isEqualTo(JobCpuSplit.BROKER);
    assertThat(JobCpuSplit.group("kafka-log-cleaner-thread-0")).isEqualTo(JobCpuSplit.BROKER);
    assertThat(JobCpuSplit.group("bench-results")).isEqualTo(JobCpuSplit.READER);
    assertThat(JobCpuSplit.group("main")).isEqualTo(JobCpuSplit.OTHER_JAVA);
  }
}
