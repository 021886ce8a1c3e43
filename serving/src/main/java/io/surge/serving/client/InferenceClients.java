package io.surge.serving.client;

import java.net.URI;
import java.util.Objects;

/**
 * Makes the {@link InferenceClient} a server URI asks for: {@code grpc://host:port} gets a {@link
 * KServeGrpcClient}, {@code http://} and {@code https://} a {@link KServeClient}. This is how a
 * catalog chooses the protocol per server.
 */
public final class InferenceClients {

  private InferenceClients() {}

  /** The builder of the client the URI's scheme names, with the settings both protocols share. */
  public static ClientBuilder<?> builder(URI baseUri) {
    Objects.requireNonNull(baseUri, "baseUri");
    if (isGrpc(baseUri)) {
      return KServeGrpcClient.builder(baseUri);
    }
    String scheme = baseUri.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException(
          "server URI " + baseUri + " must start with http://, https:// or grpc://");
    }
    return KServeClient.builder(baseUri);
  }

  /** Whether a URI names a gRPC server. */
  public static boolean isGrpc(URI uri) {
    return KServeGrpcClient.SCHEME.equals(uri.getScheme());
  }
}
