package io.surge.serving.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The settings every KServe v2 client takes, whichever protocol: {@link KServeClient.Builder} and
 * {@link KServeGrpcClient.Builder} add their own.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class ClientBuilder<B extends ClientBuilder<B>> {

  final URI baseUri;
  Executor executor;
  Duration connectTimeout = Duration.ofSeconds(5);
  Duration requestTimeout = Duration.ofSeconds(30);
  TensorEncoding encoding = TensorEncoding.BINARY;

  ClientBuilder(URI baseUri) {
    this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
  }

  /**
   * Threads that complete the futures (default: the transport's own, with no hand-off: then
   * continuations must not block).
   */
  public B executor(Executor value) {
    this.executor = value;
    return self();
  }

  /** How long opening a connection may take (default 5 s). */
  public B connectTimeout(Duration value) {
    this.connectTimeout = positive(value);
    return self();
  }

  /** Timeout of calls that give none (default 30 s). */
  public B requestTimeout(Duration value) {
    this.requestTimeout = positive(value);
    return self();
  }

  /** Default tensor encoding of infer calls: BINARY (default) or JSON. */
  public B encoding(TensorEncoding value) {
    this.encoding = Objects.requireNonNull(value);
    return self();
  }

  public abstract InferenceClient build();

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  private static Duration positive(Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("duration must be positive, got " + d);
    }
    return d;
  }
}
