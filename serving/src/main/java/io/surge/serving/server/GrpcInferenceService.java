package io.surge.serving.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.surge.serving.engine.ModelExecutor;
import io.surge.serving.engine.ModelExecutor.ExecutionException;
import io.surge.serving.engine.ModelExecutor.ExecutionResult;
import io.surge.serving.engine.ModelInfo;
import io.surge.serving.engine.ModelStatistics;
import io.surge.serving.engine.ModelStatisticsProto;
import io.surge.serving.grpc.v2.GRPCInferenceServiceGrpc;
import io.surge.serving.grpc.v2.ModelInferRequest;
import io.surge.serving.grpc.v2.ModelInferResponse;
import io.surge.serving.grpc.v2.ModelMetadataRequest;
import io.surge.serving.grpc.v2.ModelMetadataResponse;
import io.surge.serving.grpc.v2.ModelReadyRequest;
import io.surge.serving.grpc.v2.ModelReadyResponse;
import io.surge.serving.grpc.v2.ModelStatisticsRequest;
import io.surge.serving.grpc.v2.ModelStatisticsResponse;
import io.surge.serving.grpc.v2.ServerLiveRequest;
import io.surge.serving.grpc.v2.ServerLiveResponse;
import io.surge.serving.grpc.v2.ServerMetadataRequest;
import io.surge.serving.grpc.v2.ServerMetadataResponse;
import io.surge.serving.grpc.v2.ServerReadyRequest;
import io.surge.serving.grpc.v2.ServerReadyResponse;
import io.surge.serving.protocol.GrpcCodec;
import io.surge.serving.protocol.InferRequest;
import io.surge.serving.protocol.InferResponse;
import io.surge.serving.protocol.ProtocolException;
import io.surge.serving.protocol.ServerMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code inference.GRPCInferenceService} over a {@link ModelExecutor}: the same models, batcher,
 * queue limits and statistics as the HTTP API, and the same checks and messages. Errors become gRPC
 * statuses as Triton maps them: 400 INVALID_ARGUMENT, 404 NOT_FOUND, 503 UNAVAILABLE (queue full,
 * queue timeout, shutting down), 501 UNIMPLEMENTED, anything else INTERNAL.
 *
 * <p>Handlers run on the transport's threads and never block: an infer call is queued on the
 * executor and answered from the thread that completes it, with no hand-off in between.
 */
final class GrpcInferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

  private static final Logger LOG = LoggerFactory.getLogger(GrpcInferenceService.class);

  private final ModelExecutor executor;
  private final ServerMetadataResponse metadata;
  private final InFlight inFlight;

  GrpcInferenceService(ModelExecutor executor, ServerMetadata metadata, InFlight inFlight) {
    this.executor = executor;
    this.metadata = GrpcCodec.encode(metadata);
    this.inFlight = inFlight;
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> answer) {
    if (refuseWhenDown(answer)) {
      return;
    }
    reply(answer, ServerLiveResponse.newBuilder().setLive(true).build());
  }

  @Override
  public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> answer) {
    if (refuseWhenDown(answer)) {
      return;
    }
    reply(answer, ServerReadyResponse.newBuilder().setReady(!inFlight.isClosing()).build());
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> answer) {
    if (refuseWhenDown(answer)) {
      return;
    }
    boolean ready;
    try {
      ModelLookup.require(executor, request.getName(), request.getVersion());
      ready = true;
    } catch (ProtocolException e) {
      ready = false;
    }
    reply(answer, ModelReadyResponse.newBuilder().setReady(ready).build());
  }

  @Override
  public void serverMetadata(
      ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> answer) {
    if (refuseWhenDown(answer)) {
      return;
    }
    reply(answer, metadata);
  }

  @Override
  public void modelMetadata(
      ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> answer) {
    if (refuseWhenDown(answer)) {
      return;
    }
    try {
      ModelInfo model = ModelLookup.require(executor, request.getName(), request.getVersion());
      reply(answer, GrpcCodec.encode(ModelLookup.metadataOf(model)));
    } catch (RuntimeException e) {
      answer.onError(statusOf(e));
    }
  }

  @Override
  public void modelStatistics(
      ModelStatisticsRequest request, StreamObserver<ModelStatisticsResponse> answer) {
    if (refuseWhenDown(answer)) {
      return;
    }
    try {
      List<ModelInfo> models =
          request.getName().isEmpty()
              ? List.copyOf(executor.models())
              : List.of(ModelLookup.require(executor, request.getName(), request.getVersion()));
      List<ModelStatistics> stats = new ArrayList<>();
      for (ModelInfo model : models) {
        ModelStatistics s = executor.statistics(model.name());
        if (s != null) {
          stats.add(s);
        }
      }
      reply(answer, ModelStatisticsProto.toProto(stats));
    } catch (RuntimeException e) {
      answer.onError(statusOf(e));
    }
  }

  @Override
  public void modelInfer(ModelInferRequest message, StreamObserver<ModelInferResponse> answer) {
    if (refuseWhenDown(answer)) {
      return;
    }
    if (!inFlight.enter()) {
      answer.onError(Status.UNAVAILABLE.withDescription("server is shutting down").asException());
      return;
    }
    boolean answerLater = false;
    try {
      ModelInfo model =
          ModelLookup.require(executor, message.getModelName(), message.getModelVersion());
      InferRequest request = GrpcCodec.decodeRequest(message);
      MetadataCheck.validate(model, request);
      long timeoutMicros =
          InferEndpoint.nonNegative(request.parameters(), InferRequest.TIMEOUT, Long.MAX_VALUE);
      int priority =
          (int)
              InferEndpoint.nonNegative(
                  request.parameters(), InferRequest.PRIORITY, Integer.MAX_VALUE);
      executor
          .infer(model.name(), request.inputs(), request.outputNames(), timeoutMicros, priority)
          .whenComplete((result, failure) -> complete(answer, model, request, result, failure));
      answerLater = true;
    } catch (RuntimeException e) {
      answer.onError(statusOf(e));
    } finally {
      if (!answerLater) {
        inFlight.exit();
      }
    }
  }

  private void complete(
      StreamObserver<ModelInferResponse> answer,
      ModelInfo model,
      InferRequest request,
      ExecutionResult result,
      Throwable failure) {
    try {
      if (failure != null) {
        answer.onError(statusOf(failure));
        return;
      }
      InferResponse response =
          new InferResponse(
              model.name(),
              model.version(),
              request.id(),
              Map.of(),
              InferEndpoint.requested(request, result));
      reply(answer, GrpcCodec.encodeResponse(response));
    } catch (StatusRuntimeException e) {
      // the client cancelled or went away: nothing to answer
      LOG.debug("could not send an inference answer", e);
    } catch (RuntimeException e) {
      answer.onError(statusOf(e));
    } finally {
      inFlight.exit();
    }
  }

  /** An emulated outage answers nothing useful: UNAVAILABLE, as a client of a dead server sees. */
  private boolean refuseWhenDown(StreamObserver<?> answer) {
    if (!executor.isDown()) {
      return false;
    }
    answer.onError(Status.UNAVAILABLE.withDescription("server is down").asException());
    return true;
  }

  private static <T> void reply(StreamObserver<T> answer, T message) {
    answer.onNext(message);
    answer.onCompleted();
  }

  /** The gRPC status of a failure, as Triton maps its errors; unexpected ones are logged. */
  static StatusRuntimeException statusOf(Throwable failure) {
    Throwable t =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (t instanceof ProtocolException p) {
      return statusOf(p.httpStatus()).withDescription(p.getMessage()).asRuntimeException();
    }
    if (t instanceof ExecutionException e) {
      Status status = e.dropsConnection() ? Status.UNAVAILABLE : statusOf(e.httpStatus());
      return status.withDescription(e.getMessage()).asRuntimeException();
    }
    LOG.warn("inference request failed unexpectedly", t);
    return Status.INTERNAL.withDescription("internal error: " + t).asRuntimeException();
  }

  /** Triton's mapping between its HTTP statuses and gRPC codes. */
  static Status statusOf(int httpStatus) {
    return switch (httpStatus) {
      case 400, 415 -> Status.INVALID_ARGUMENT;
      case 404 -> Status.NOT_FOUND;
      case 413 -> Status.RESOURCE_EXHAUSTED;
      case 501 -> Status.UNIMPLEMENTED;
      case 503 -> Status.UNAVAILABLE;
      default -> Status.INTERNAL;
    };
  }
}
