package io.surge.serving.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Makes the {@link InferenceClient} a server URI asks for: {@code grpc://host:port} gets a {@link
 * KServeGrpcClient}, {@code http://} and {@code https://} a {@link KServeClient}. This is how a
 * catalog chooses the protocol per server.
 */
public final class InferenceClients {

  private InferenceClients() {}

  /** Settings both protocols share; see the two clients' builders for the rest. */
  public static Builder builder(URI baseUri) {
    return new Builder(baseUri);
  }

  /** Whether a URI names a gRPC server. */
  public static boolean isGrpc(URI uri) {
    return KServeGrpcClient.SCHEME.equals(uri.getScheme());
  }

  /** Settings of either client. */
  public static final class Builder {
    private final URI baseUri;
    private Executor executor;
    private Duration connectTimeout;
    private Duration requestTimeout;

    private Builder(URI baseUri) {
      this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
      String scheme = baseUri.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme) && !isGrpc(baseUri)) {
        throw new IllegalArgumentException(
            "server URI " + baseUri + " must start with http://, https:// or grpc://");
      }
    }

    /** Threads that complete the futures (default: each client's own). */
    public Builder executor(Executor value) {
      this.executor = value;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = value;
      return this;
    }

    /** Timeout of calls that give none. */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = value;
      return this;
    }

    public InferenceClient build() {
      if (isGrpc(baseUri)) {
        KServeGrpcClient.Builder b = KServeGrpcClient.builder(baseUri).executor(executor);
        if (connectTimeout != null) {
          b.connectTimeout(connectTimeout);
        }
        if (requestTimeout != null) {
          b.requestTimeout(requestTimeout);
        }
        return b.build();
      }
      KServeClient.Builder b = KServeClient.builder(baseUri).executor(executor);
      if (connectTimeout != null) {
        b.connectTimeout(connectTimeout);
      }
      if (requestTimeout != null) {
        b.requestTimeout(requestTimeout);
      }
      return b.build();
    }
  }
}
