package io.surge.serving.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;

/** {@code java.net.http.HttpClient} over HTTP/1.1: it keeps connections alive and reuses them. */
final class JdkHttpCaller implements HttpCaller {

  private final String base;
  private final HttpClient http;

  JdkHttpCaller(URI base, Duration connectTimeout, SSLContext sslContext, Executor executor) {
    this.base = base.toString();
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (executor != null) {
      http.executor(executor);
    }
    if (sslContext != null) {
      http.sslContext(sslContext);
    }
    this.http = http.build();
  }

  @Override
  public CompletableFuture<HttpAnswer> send(HttpCall call) {
    URI uri = URI.create(base + call.path());
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(call.timeout());
    call.headers().forEach(request::header);
    if (call.body() == null) {
      request.GET();
    } else {
      request.method(call.method(), HttpRequest.BodyPublishers.ofByteArray(call.body()));
    }
    CompletableFuture<HttpAnswer> result = new CompletableFuture<>();
    http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
        .whenComplete(
            (response, failure) -> {
              if (failure != null) {
                result.completeExceptionally(Failures.fromTransport(failure, uri));
              } else {
                result.complete(
                    new HttpAnswer(
                        uri, response.statusCode(), firstValues(response), response.body()));
              }
            });
    return result;
  }

  private static Map<String, String> firstValues(HttpResponse<?> response) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    response.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
    return headers;
  }

  /** The JDK client has no close on Java 17: its threads end when it is unreachable. */
  @Override
  public void close() {}
}
