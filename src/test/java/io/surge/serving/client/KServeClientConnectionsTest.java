package io.surge.serving.client;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.surge.serving.protocol.HttpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * How the HTTP client uses its connections, over both transports: kept alive and pooled, a
 * connection per concurrent call and no more, a timed-out call's connection never reused, and the
 * typed failure when a connection cannot be made or dies mid-answer.
 */
@ParameterizedClass(name = "over {0}")
@EnumSource(HttpTransport.class)
class KServeClientConnectionsTest {

  @Parameter HttpTransport transport;

  private final List<Integer> remotePorts = new CopyOnWriteArrayList<>();
  private final ExecutorService serverThreads = Executors.newCachedThreadPool();
  private volatile CountDownLatch hold = new CountDownLatch(0);
  private HttpServer server;
  private KServeClient client;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answerLive);
    server.setExecutor(serverThreads);
    server.start();
    client = client(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
  }

  @AfterEach
  void stop() {
    hold.countDown();
    client.close();
    server.stop(0);
    serverThreads.shutdownNow();
  }

  private KServeClient client(URI uri) {
    return KServeClient.builder(uri)
        .httpTransport(transport)
        .connectTimeout(Duration.ofSeconds(2))
        .requestTimeout(Duration.ofSeconds(10))
        .build();
  }

  private void answerLive(HttpExchange exchange) throws IOException {
    remotePorts.add(exchange.getRemoteAddress().getPort());
    exchange.getRequestBody().readAllBytes();
    try {
      hold.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
  }

  @Test
  void concurrentCallsOpenAConnectionEachAndLaterCallsReuseThem() throws Exception {
    hold = new CountDownLatch(1);
    List<CompletableFuture<Boolean>> concurrent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      concurrent.add(client.live());
    }
    awaitRequests(4);
    hold.countDown();
    for (CompletableFuture<Boolean> call : concurrent) {
      assertThat(call.get(10, TimeUnit.SECONDS)).isTrue();
    }
    Set<Integer> opened = new HashSet<>(remotePorts);

    for (int i = 0; i < 20; i++) {
      assertThat(client.live().get(10, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(opened).hasSize(4);
    assertThat(new HashSet<>(remotePorts)).isEqualTo(opened);
  }

  @Test
  void aTimedOutCallsConnectionIsNotReused() throws Exception {
    assumeTrue(transport == HttpTransport.NETTY, "the JDK client's pool is its own");
    hold = new CountDownLatch(1);
    try (KServeClient impatient =
        KServeClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
            .httpTransport(transport)
            .requestTimeout(Duration.ofMillis(1500))
            .build()) {
      Throwable timedOut = failure(impatient.live());
      hold.countDown();

      assertThat(timedOut).isInstanceOf(InferenceTimeoutException.class);
      assertThat(impatient.live().get(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(remotePorts).hasSize(2);
    assertThat(remotePorts.get(1)).isNotEqualTo(remotePorts.get(0));
  }

  @Test
  void aRefusedConnectionIsUnreachableAndNotATimeout() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (KServeClient nowhere = client(URI.create("http://127.0.0.1:" + closedPort))) {
      Throwable t = failure(nowhere.live());

      assertThat(t).isInstanceOf(ServerUnreachableException.class);
      assertThat(((ServerUnreachableException) t).isConnectTimeout()).isFalse();
    }
  }

  @Test
  void aConnectionThatDiesMidAnswerIsATransportFailure() throws Exception {
    try (ServerSocket half = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Thread cutter = new Thread(() -> cutOffAfterHeaders(half), "half-answer");
      cutter.setDaemon(true);
      cutter.start();
      try (KServeClient cut = client(URI.create("http://127.0.0.1:" + half.getLocalPort()))) {
        Throwable t = failure(cut.modelMetadata("m", null));

        assertThat(t).isInstanceOf(InferenceTransportException.class);
      }
    }
  }

  /** Reads one request head, sends half an answer, closes. */
  private static void cutOffAfterHeaders(ServerSocket listener) {
    try (Socket socket = listener.accept()) {
      InputStream in = socket.getInputStream();
      int matched = 0;
      byte[] end = "\r\n\r\n".getBytes(US_ASCII);
      while (matched < end.length) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
      }
      OutputStream out = socket.getOutputStream();
      out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"name\":".getBytes(US_ASCII));
      out.flush();
    } catch (IOException e) {
      // the test sees the outcome from the client's side
    }
  }

  private void awaitRequests(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (remotePorts.size() < n && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(remotePorts).hasSize(n);
  }

  private static Throwable failure(CompletableFuture<?> future) throws Exception {
    try {
      future.get(20, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }
}
