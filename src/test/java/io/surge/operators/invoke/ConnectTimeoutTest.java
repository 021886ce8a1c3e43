package io.surge.operators.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.surge.serving.client.KServeClient;
import io.surge.serving.client.ServerUnreachableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server too busy to accept, for real: a listening socket that never accepts, its accept queue
 * filled, so that the JDK client's connect times out as it did against a busy embedded server
 * (issue 12). The client must report it as a connect timeout (not a refused connection), and the
 * invoker must see {@link CallFailure.Kind#CONNECT_TIMEOUT}, which it tells from an outage by the
 * server's recent answers ({@code InferenceInvokerTest}).
 */
class ConnectTimeoutTest {

  @Test
  void aServerThatDoesNotAcceptIsAConnectTimeoutNotARefusal() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      List<Socket> queued = fillAcceptQueue(busy);
      try {
        KServeClient client =
            KServeClient.builder(URI.create("http://127.0.0.1:" + busy.getLocalPort()))
                .connectTimeout(Duration.ofMillis(300))
                .build();

        Throwable thrown = catchThrowable(() -> client.serverMetadata().get(10, TimeUnit.SECONDS));

        Throwable cause = thrown.getCause();
        assertThat(cause).isInstanceOf(ServerUnreachableException.class);
        assertThat(cause.getCause()).isInstanceOf(HttpConnectTimeoutException.class);
        Throwable failure = KServeInferenceCall.toCallFailure(thrown);
        assertThat(failure).isInstanceOf(CallFailure.class);
        assertThat(((CallFailure) failure).kind()).isEqualTo(CallFailure.Kind.CONNECT_TIMEOUT);
      } finally {
        for (Socket s : queued) {
          s.close();
        }
      }
    }
  }

  @Test
  void aRefusedConnectionIsStillUnreachable() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    KServeClient client =
        KServeClient.builder(URI.create("http://127.0.0.1:" + port))
            .connectTimeout(Duration.ofMillis(300))
            .build();

    Throwable thrown = catchThrowable(() -> client.serverMetadata().get(10, TimeUnit.SECONDS));

    Throwable failure = KServeInferenceCall.toCallFailure(thrown);
    assertThat(((CallFailure) failure).kind()).isEqualTo(CallFailure.Kind.UNREACHABLE);
  }

  /** Connections until one does not complete: the kernel's accept queue is then full. */
  private static List<Socket> fillAcceptQueue(ServerSocket server) throws IOException {
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 200);
        sockets.add(s);
      } catch (IOException e) {
        s.close();
        return sockets;
      }
    }
    throw new IllegalStateException("the accept queue never filled");
  }
}
