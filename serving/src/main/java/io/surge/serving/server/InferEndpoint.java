package io.surge.serving.server;

import io.surge.serving.engine.ModelExecutor;
import io.surge.serving.engine.ModelExecutor.ExecutionResult;
import io.surge.serving.engine.ModelInfo;
import io.surge.serving.protocol.BodyCompression;
import io.surge.serving.protocol.EncodedBody;
import io.surge.serving.protocol.InferCodec;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.InferResponse;
import io.surge.serving.protocol.InferTensor;
import io.surge.serving.protocol.ProtocolException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * {@code POST .../infer}: decode, validate, queue on the executor, and answer when the executor
 * completes, without holding a handler thread while the request waits in the batcher. The answer is
 * encoded and sent on {@code responseThreads}: the JDK server's blocking writes need threads of
 * their own; Netty's writes do not block, so it answers from the thread that completes the
 * execution ({@code Runnable::run}).
 */
final class InferEndpoint {

  static final String CONTENT_ENCODING = "Content-Encoding";
  static final String ACCEPT_ENCODING = "Accept-Encoding";

  private final ModelExecutor executor;
  private final InferCodec codec;
  private final long maxBodyBytes;
  private final Executor responseThreads;

  InferEndpoint(
      ModelExecutor executor, InferCodec codec, long maxBodyBytes, Executor responseThreads) {
    this.executor = executor;
    this.codec = codec;
    this.maxBodyBytes = maxBodyBytes;
    this.responseThreads = responseThreads;
  }

  /**
   * Queues the request; {@code reply} is called once, on a response thread, with the encoded answer
   * or the failure.
   */
  void handle(ApiExchange exchange, ModelInfo model, BiConsumer<EncodedBody, Throwable> reply)
      throws IOException {
    byte[] body = decompressed(exchange, exchange.body(maxBodyBytes));
    String header = exchange.requestHeader(EncodedBody.HEADER_LENGTH);
    InferRequest request =
        codec.decodeRequest(body, InferCodec.parseHeaderLength(header, body.length));
    MetadataCheck.validate(model, request);
    long timeoutMicros = nonNegative(request.parameters(), InferRequest.TIMEOUT, Long.MAX_VALUE);
    int priority =
        (int) nonNegative(request.parameters(), InferRequest.PRIORITY, Integer.MAX_VALUE);
    CompletableFuture<ExecutionResult> result =
        executor.infer(
            model.name(), request.inputs(), request.outputNames(), timeoutMicros, priority);
    result.whenCompleteAsync(
        (done, failure) -> {
          if (failure != null) {
            reply.accept(null, failure);
            return;
          }
          try {
            reply.accept(encode(model, request, done), null);
          } catch (RuntimeException e) {
            reply.accept(null, e);
          }
        },
        responseThreads);
  }

  /**
   * The body in the {@code Content-Encoding} it names, decompressed within the same byte limit; an
   * unknown encoding is refused with 415 and the supported ones in {@code Accept-Encoding}, with
   * Triton's message (Triton itself answers 501 there, marked FIXME in its source).
   */
  private byte[] decompressed(ApiExchange exchange, byte[] body) {
    String header = exchange.requestHeader(CONTENT_ENCODING);
    BodyCompression encoding = BodyCompression.ofContentEncoding(header);
    if (encoding == null) {
      exchange.setResponseHeader(ACCEPT_ENCODING, BodyCompression.SUPPORTED);
      throw new ProtocolException(415, BodyCompression.UNSUPPORTED_MESSAGE);
    }
    return encoding.decompress(body, maxBodyBytes);
  }

  private EncodedBody encode(ModelInfo model, InferRequest request, ExecutionResult result) {
    InferResponse response =
        new InferResponse(
            model.name(), model.version(), request.id(), Map.of(), requested(request, result));
    return codec.encodeResponse(response, request::wantsBinary);
  }

  /** Only the requested outputs, in the order asked (all outputs when none were named). */
  static List<InferTensor> requested(InferRequest request, ExecutionResult result) {
    if (request.outputs().isEmpty()) {
      return result.outputs();
    }
    List<InferTensor> outputs = new ArrayList<>();
    for (String name : request.outputNames()) {
      outputs.add(
          result.outputs().stream()
              .filter(t -> t.name().equals(name))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalStateException("the model produced no output '" + name + "'")));
    }
    return outputs;
  }

  static long nonNegative(Map<String, Object> parameters, String key, long max) {
    Object value = parameters.get(key);
    if (value == null) {
      return 0;
    }
    if (value instanceof Long n && n >= 0 && n <= max) {
      return n;
    }
    throw new ProtocolException(
        "request parameter '" + key + "' must be an integer in 0.." + max + ", got " + value);
  }
}
