package io.surge.serving.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.net.ConnectException;
import java.net.URI;
import org.junit.jupiter.api.Test;

class GrpcFailuresTest {

  private static final URI SERVER = URI.create("grpc://127.0.0.1:1");

  @Test
  void serverStatusesBecomeTheHttpStatusesTritonGivesTheSameErrors() {
    assertThat(map(Status.INVALID_ARGUMENT.withDescription("bad")))
        .isInstanceOf(InvalidInferenceRequestException.class)
        .hasMessage("bad");
    assertThat(map(Status.NOT_FOUND.withDescription("gone")))
        .isInstanceOf(ModelNotFoundException.class);
    assertThat(((InferenceServerException) map(Status.RESOURCE_EXHAUSTED)).status()).isEqualTo(413);
    assertThat(((InferenceServerException) map(Status.UNIMPLEMENTED)).status()).isEqualTo(501);
    assertThat(((InferenceServerException) map(Status.INTERNAL)).status()).isEqualTo(500);
    assertThat(map(Status.DEADLINE_EXCEEDED)).isInstanceOf(InferenceTimeoutException.class);
  }

  @Test
  void unavailableIsTheServersAnswerUnlessTheTransportFailed() {
    Throwable queueFull = map(Status.UNAVAILABLE.withDescription("Exceeds maximum queue size"));
    Throwable refused =
        map(Status.UNAVAILABLE.withDescription("io exception").withCause(new ConnectException()));
    Throwable timedOut =
        map(Status.UNAVAILABLE.withCause(new ConnectTimeoutException("connection timed out")));
    Throwable lost =
        map(Status.UNAVAILABLE.withCause(new java.io.IOException("Connection reset by peer")));

    assertThat(queueFull).isInstanceOf(ServerUnavailableException.class);
    assertThat(((ServerUnavailableException) queueFull).isQueueFull()).isTrue();
    assertThat(refused).isInstanceOf(ServerUnreachableException.class);
    assertThat(((ServerUnreachableException) refused).isConnectTimeout()).isFalse();
    assertThat(((ServerUnreachableException) timedOut).isConnectTimeout()).isTrue();
    assertThat(lost).isInstanceOf(InferenceTransportException.class);
  }

  private static Throwable map(Status status) {
    return GrpcFailures.fromGrpc(status.asRuntimeException(), SERVER);
  }

  /** Named as Netty's, which is what the mapping recognises. */
  private static final class ConnectTimeoutException extends ConnectException {
    ConnectTimeoutException(String message) {
      super(message);
    }
  }
}
