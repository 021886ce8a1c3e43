package io.surge.serving.client;

import io.surge.serving.protocol.ServerMetadata;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A client's cached view of its server's extensions, whatever the protocol: asked once; a server
 * that answers the metadata call with an error status is taken (and remembered) as plain KServe v2
 * without extensions.
 */
final class KnownExtensions {

  private static final ServerMetadata NO_EXTENSIONS = new ServerMetadata("", "", List.of());

  private final Supplier<CompletableFuture<ServerMetadata>> serverMetadata;
  private volatile ServerMetadata known;

  KnownExtensions(Supplier<CompletableFuture<ServerMetadata>> serverMetadata) {
    this.serverMetadata = serverMetadata;
  }

  CompletableFuture<ServerMetadata> get() {
    ServerMetadata cached = known;
    if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    return serverMetadata
        .get()
        .handle(
            (server, failure) -> {
              if (failure == null) {
                known = server;
                return server;
              }
              Throwable t = Failures.unwrap(failure);
              if (t instanceof InferenceServerException) {
                known = NO_EXTENSIONS;
                return NO_EXTENSIONS;
              }
              throw t instanceof RuntimeException r ? r : new KServeException(t.toString(), t);
            });
  }
}
