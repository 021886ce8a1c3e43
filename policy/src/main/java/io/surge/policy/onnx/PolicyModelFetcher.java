package io.surge.policy.onnx;

import static io.surge.policy.onnx.PolicyRejectedException.Reason.FETCH_FAILED;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.TOO_LARGE;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Fetches a policy model that an update refers to ({@code model_uri}) instead of carrying it: a
 * {@code file://} path or an {@code http(s)://} URL. Large models travel this way because broadcast
 * state lives on the heap of every subtask and is checkpointed by each; the reference is what is
 * broadcast, and every loader fetches the bytes itself. The bytes are read up to the size cap and
 * no further, and are untrusted: the caller checks them (SHA-256 first) with {@link PolicyFile}.
 */
public final class PolicyModelFetcher {

  /** How long a fetch may take in all: it runs on the validator's and the scheduler's thread. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);

  private PolicyModelFetcher() {}

  /**
   * The bytes at {@code uri}.
   *
   * @throws PolicyRejectedException FETCH_FAILED (bad scheme, unreachable, not 200) or TOO_LARGE
   */
  public static byte[] fetch(String uri, long maxBytes) throws PolicyRejectedException {
    URI parsed;
    try {
      parsed = URI.create(uri);
    } catch (IllegalArgumentException e) {
      throw new PolicyRejectedException(FETCH_FAILED, "model_uri is not a URI: " + uri, e);
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase();
    try {
      return switch (scheme) {
        case "file" -> readCapped(Files.newInputStream(Path.of(parsed)), uri, maxBytes);
        case "http", "https" -> fetchHttp(parsed, uri, maxBytes);
        default ->
            throw new PolicyRejectedException(
                FETCH_FAILED, "model_uri must be file://, http:// or https://, got " + uri);
      };
    } catch (IOException | IllegalArgumentException e) {
      throw new PolicyRejectedException(
          FETCH_FAILED, "cannot fetch the model from " + uri + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PolicyRejectedException(FETCH_FAILED, "interrupted fetching " + uri, e);
    }
  }

  private static byte[] fetchHttp(URI parsed, String uri, long maxBytes)
      throws IOException, InterruptedException, PolicyRejectedException {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    HttpResponse<InputStream> response =
        client.send(
            HttpRequest.newBuilder(parsed).timeout(TIMEOUT).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      response.body().close();
      throw new PolicyRejectedException(
          FETCH_FAILED, "GET " + uri + " answered " + response.statusCode());
    }
    return readCapped(response.body(), uri, maxBytes);
  }

  /** Reads at most {@code maxBytes} + 1 bytes, so an oversized model is refused unread. */
  private static byte[] readCapped(InputStream in, String uri, long maxBytes)
      throws IOException, PolicyRejectedException {
    try (InputStream body = in) {
      int cap = (int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8);
      byte[] bytes = body.readNBytes(cap);
      if (bytes.length > maxBytes) {
        throw new PolicyRejectedException(
            TOO_LARGE, "model at " + uri + " exceeds the limit of " + maxBytes + " bytes");
      }
      return bytes;
    }
  }
}
