package io.surge.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.schema.InferenceRequest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestDeadlineTest {

  private static final InferenceRequest REQUEST =
      InferenceRequest.newBuilder()
          .setRequestId("r-1")
          .setService("svc")
          .setCreatedAt(Instant.ofEpochMilli(1_000))
          .setDeadlineMs(250)
          .build();

  @Test
  void theDeadlineIsCreationPlusDeadlineMs() {
    assertThat(RequestDeadline.epochMillis(REQUEST)).isEqualTo(1_250);
  }

  @Test
  void millisPastIsNegativeSlackBeforeAndFractionalAfter() {
    assertThat(RequestDeadline.millisPast(REQUEST, Instant.ofEpochMilli(1_100))).isEqualTo(-150.0);
    assertThat(RequestDeadline.millisPast(REQUEST, Instant.ofEpochMilli(1_250))).isZero();
    assertThat(RequestDeadline.millisPast(REQUEST, Instant.ofEpochMilli(1_250).plusNanos(500_000)))
        .isEqualTo(0.5);
  }
}
