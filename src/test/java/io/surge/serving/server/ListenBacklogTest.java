package io.surge.serving.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.surge.serving.protocol.HttpTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A server whose accepting thread is stuck (every handler thread and the queue taken, so it runs a
 * handler itself) still completes new connections: they wait in the kernel's accept queue and are
 * served late, instead of timing out as if the server were down (issue 12: a busy server's slow
 * accept opened the circuit breakers of healthy servers).
 */
class ListenBacklogTest {

  /** More than the JDK's default backlog (50), well under the server's. */
  private static final int CONNECTIONS = 200;

  private static final byte[] STALLED_REQUEST =
      "GET /v2/health/ready HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII);

  @Test
  void connectionsQueueWhileTheAcceptingThreadIsBusy() throws Exception {
    ServerOptions options =
        ServerOptions.defaults()
            .withPort(0)
            .withThreads(1)
            .withQueueCapacity(1)
            .withHttpTransport(HttpTransport.JDK);
    List<Socket> sockets = new ArrayList<>();
    InferenceHttpServer server = InferenceHttpServer.start(new OneModelExecutor(), options);
    try {
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
      // three stalled clients: one takes the handler thread, one the queue, and the accepting
      // thread runs the third's handler itself, waiting for headers that never end
      for (int i = 0; i < 3; i++) {
        Socket stalled = connect(address);
        sockets.add(stalled);
        stalled.getOutputStream().write(STALLED_REQUEST);
        stalled.getOutputStream().flush();
        Thread.sleep(100);
      }
      Thread.sleep(300);
      int connected = 0;
      for (int i = 0; i < CONNECTIONS; i++) {
        try {
          sockets.add(connect(address));
          connected++;
        } catch (IOException e) {
          break; // a dropped SYN: the connect timed out
        }
      }
      assertThat(connected)
          .as("connections completed while nothing accepts")
          .isEqualTo(CONNECTIONS);
    } finally {
      // the silent clients first: the stuck handlers end with their connections
      for (Socket s : sockets) {
        s.close();
      }
      server.close();
    }
  }

  private static Socket connect(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(address, 500);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return socket;
  }
}
