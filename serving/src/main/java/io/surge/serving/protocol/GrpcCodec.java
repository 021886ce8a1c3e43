package io.surge.serving.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.surge.serving.grpc.v2.InferParameter;
import io.surge.serving.grpc.v2.InferTensorContents;
import io.surge.serving.grpc.v2.ModelInferRequest;
import io.surge.serving.grpc.v2.ModelInferResponse;
import io.surge.serving.grpc.v2.ModelMetadataResponse;
import io.surge.serving.grpc.v2.ServerMetadataResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between the protocol's records and the KServe v2 gRPC messages. Tensors travel as {@code
 * raw_*_contents} (the binary layout, wrapped without copying); typed {@code contents} are read
 * from any peer and written when asked (FP16 has no typed form). Every malformed message is a
 * {@link ProtocolException}, as in {@link InferCodec}.
 */
public final class GrpcCodec {

  private GrpcCodec() {}

  // ------------------------------------------------------------------ requests

  /** The gRPC form of a request; {@code raw} = tensors as raw_input_contents, else typed. */
  public static ModelInferRequest encodeRequest(
      String model, String version, InferRequest request, boolean raw) {
    ModelInferRequest.Builder b =
        ModelInferRequest.newBuilder().setModelName(model).setModelVersion(nullToEmpty(version));
    if (request.id() != null) {
      b.setId(request.id());
    }
    request.parameters().forEach((k, v) -> b.putParameters(k, parameter(k, v)));
    for (InferTensor t : request.inputs()) {
      ModelInferRequest.InferInputTensor.Builder input =
          ModelInferRequest.InferInputTensor.newBuilder()
              .setName(t.name())
              .setDatatype(t.datatype().name());
      for (long d : t.shape()) {
        input.addShape(d);
      }
      if (raw) {
        b.addRawInputContents(wrap(t.data()));
      } else {
        input.setContents(typedContents("input '" + t.name() + "'", t.datatype(), t.data()));
      }
      b.addInputs(input);
    }
    for (RequestedOutput o : request.outputs()) {
      b.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName(o.name()));
    }
    return b.build();
  }

  /** A request from its gRPC form, with every tensor's bytes checked against its shape. */
  public static InferRequest decodeRequest(ModelInferRequest message) {
    int raw = message.getRawInputContentsCount();
    if (raw != 0 && raw != message.getInputsCount()) {
      throw new ProtocolException(
          "expected "
              + message.getInputsCount()
              + " raw_input_contents (one per input), got "
              + raw);
    }
    List<InferTensor> inputs = new ArrayList<>(message.getInputsCount());
    for (int i = 0; i < message.getInputsCount(); i++) {
      ModelInferRequest.InferInputTensor t = message.getInputs(i);
      String label = "input '" + t.getName() + "'";
      ByteString bytes = raw == 0 ? null : message.getRawInputContents(i);
      if (bytes != null && t.hasContents()) {
        throw new ProtocolException(label + ": contents and raw_input_contents are both given");
      }
      InferTensorContents contents = t.hasContents() ? t.getContents() : null;
      inputs.add(tensor(label, t.getName(), t.getDatatype(), t.getShapeList(), bytes, contents));
    }
    if (inputs.isEmpty()) {
      throw new ProtocolException("request has no inputs");
    }
    List<RequestedOutput> outputs = new ArrayList<>(message.getOutputsCount());
    for (ModelInferRequest.InferRequestedOutputTensor o : message.getOutputsList()) {
      outputs.add(RequestedOutput.of(o.getName()));
    }
    return new InferRequest(
        emptyToNull(message.getId()), parameters(message.getParametersMap()), inputs, outputs);
  }

  // ------------------------------------------------------------------ responses

  /** The gRPC form of a response, outputs as raw_output_contents (as Triton answers). */
  public static ModelInferResponse encodeResponse(InferResponse response) {
    ModelInferResponse.Builder b =
        ModelInferResponse.newBuilder()
            .setModelName(nullToEmpty(response.modelName()))
            .setModelVersion(nullToEmpty(response.modelVersion()))
            .setId(nullToEmpty(response.id()));
    response.parameters().forEach((k, v) -> b.putParameters(k, parameter(k, v)));
    for (InferTensor t : response.outputs()) {
      ModelInferResponse.InferOutputTensor.Builder output =
          ModelInferResponse.InferOutputTensor.newBuilder()
              .setName(t.name())
              .setDatatype(t.datatype().name());
      for (long d : t.shape()) {
        output.addShape(d);
      }
      b.addOutputs(output);
      b.addRawOutputContents(wrap(t.data()));
    }
    return b.build();
  }

  /** A response from its gRPC form (raw or typed outputs). */
  public static InferResponse decodeResponse(ModelInferResponse message) {
    int raw = message.getRawOutputContentsCount();
    if (raw != 0 && raw != message.getOutputsCount()) {
      throw new ProtocolException(
          "expected "
              + message.getOutputsCount()
              + " raw_output_contents (one per output), got "
              + raw);
    }
    List<InferTensor> outputs = new ArrayList<>(message.getOutputsCount());
    for (int i = 0; i < message.getOutputsCount(); i++) {
      ModelInferResponse.InferOutputTensor t = message.getOutputs(i);
      String label = "output '" + t.getName() + "'";
      ByteString bytes = raw == 0 ? null : message.getRawOutputContents(i);
      InferTensorContents contents = t.hasContents() ? t.getContents() : null;
      outputs.add(tensor(label, t.getName(), t.getDatatype(), t.getShapeList(), bytes, contents));
    }
    return new InferResponse(
        emptyToNull(message.getModelName()),
        emptyToNull(message.getModelVersion()),
        emptyToNull(message.getId()),
        parameters(message.getParametersMap()),
        outputs);
  }

  // ------------------------------------------------------------------ metadata

  public static ServerMetadataResponse encode(ServerMetadata metadata) {
    return ServerMetadataResponse.newBuilder()
        .setName(nullToEmpty(metadata.name()))
        .setVersion(nullToEmpty(metadata.version()))
        .addAllExtensions(metadata.extensions())
        .build();
  }

  public static ServerMetadata decode(ServerMetadataResponse message) {
    return new ServerMetadata(
        message.getName(), message.getVersion(), List.copyOf(message.getExtensionsList()));
  }

  public static ModelMetadataResponse encode(ModelMetadata metadata) {
    ModelMetadataResponse.Builder b =
        ModelMetadataResponse.newBuilder()
            .setName(metadata.name())
            .setPlatform(nullToEmpty(metadata.platform()));
    if (metadata.versions() != null) {
      b.addAllVersions(metadata.versions());
    }
    metadata.inputs().forEach(s -> b.addInputs(spec(s)));
    metadata.outputs().forEach(s -> b.addOutputs(spec(s)));
    return b.build();
  }

  public static ModelMetadata decode(ModelMetadataResponse message) {
    return new ModelMetadata(
        message.getName(),
        List.copyOf(message.getVersionsList()),
        message.getPlatform(),
        message.getInputsList().stream().map(GrpcCodec::spec).toList(),
        message.getOutputsList().stream().map(GrpcCodec::spec).toList());
  }

  private static ModelMetadataResponse.TensorMetadata spec(ModelMetadata.TensorSpec spec) {
    ModelMetadataResponse.TensorMetadata.Builder b =
        ModelMetadataResponse.TensorMetadata.newBuilder()
            .setName(spec.name())
            .setDatatype(spec.datatype());
    for (long d : spec.shape()) {
      b.addShape(d);
    }
    return b.build();
  }

  private static ModelMetadata.TensorSpec spec(ModelMetadataResponse.TensorMetadata message) {
    return new ModelMetadata.TensorSpec(
        message.getName(),
        message.getDatatype(),
        message.getShapeList().stream().mapToLong(Long::longValue).toArray());
  }

  // ------------------------------------------------------------------ tensors

  private static InferTensor tensor(
      String label,
      String name,
      String datatypeName,
      List<Long> shapeList,
      ByteString raw,
      InferTensorContents contents) {
    Datatype datatype;
    try {
      datatype = Datatype.parse(datatypeName);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(label + ": " + e.getMessage());
    }
    long[] shape = shapeList.stream().mapToLong(Long::longValue).toArray();
    ByteBuffer data;
    if (raw != null) {
      data = raw.asReadOnlyByteBuffer();
    } else {
      if (contents == null) {
        throw new ProtocolException(label + ": no data (neither contents nor raw contents)");
      }
      data = fromContents(label, datatype, contents);
    }
    TensorLayout.check(label, datatype, shape, data);
    return new InferTensor(name, datatype, shape, data);
  }

  private static ByteString wrap(ByteBuffer data) {
    return UnsafeByteOperations.unsafeWrap(data.duplicate());
  }

  /** Typed contents to the binary layout (little-endian, row-major). */
  static ByteBuffer fromContents(String label, Datatype datatype, InferTensorContents c) {
    ByteBuffer b;
    switch (datatype) {
      case BOOL -> {
        b = allocate(c.getBoolContentsCount());
        c.getBoolContentsList().forEach(v -> b.put((byte) (v ? 1 : 0)));
      }
      case INT8, UINT8, INT16, UINT16, INT32, UINT32 -> {
        List<Integer> values =
            datatype.name().startsWith("U") ? c.getUintContentsList() : c.getIntContentsList();
        b = allocate(values.size() * datatype.byteSize());
        for (int v : values) {
          switch (datatype.byteSize()) {
            case 1 -> b.put((byte) v);
            case 2 -> b.putShort((short) v);
            default -> b.putInt(v);
          }
        }
      }
      case INT64, UINT64 -> {
        List<Long> values =
            datatype == Datatype.INT64 ? c.getInt64ContentsList() : c.getUint64ContentsList();
        b = allocate(values.size() * 8);
        values.forEach(b::putLong);
      }
      case FP32 -> {
        b = allocate(c.getFp32ContentsCount() * 4);
        c.getFp32ContentsList().forEach(b::putFloat);
      }
      case FP64 -> {
        b = allocate(c.getFp64ContentsCount() * 8);
        c.getFp64ContentsList().forEach(b::putDouble);
      }
      case BYTES -> {
        int size = 0;
        for (ByteString s : c.getBytesContentsList()) {
          size += 4 + s.size();
        }
        b = allocate(size);
        for (ByteString s : c.getBytesContentsList()) {
          b.putInt(s.size());
          b.put(s.asReadOnlyByteBuffer());
        }
      }
      default ->
          throw new ProtocolException(
              label + ": " + datatype + " has no typed contents; send it as raw contents");
    }
    return b.flip();
  }

  /** The binary layout to typed contents. */
  static InferTensorContents typedContents(String label, Datatype datatype, ByteBuffer data) {
    ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    InferTensorContents.Builder c = InferTensorContents.newBuilder();
    switch (datatype) {
      case BOOL -> {
        while (b.hasRemaining()) {
          c.addBoolContents(b.get() != 0);
        }
      }
      case INT8 -> {
        while (b.hasRemaining()) {
          c.addIntContents(b.get());
        }
      }
      case UINT8 -> {
        while (b.hasRemaining()) {
          c.addUintContents(Byte.toUnsignedInt(b.get()));
        }
      }
      case INT16 -> {
        while (b.hasRemaining()) {
          c.addIntContents(b.getShort());
        }
      }
      case UINT16 -> {
        while (b.hasRemaining()) {
          c.addUintContents(Short.toUnsignedInt(b.getShort()));
        }
      }
      case INT32 -> {
        while (b.hasRemaining()) {
          c.addIntContents(b.getInt());
        }
      }
      case UINT32 -> {
        while (b.hasRemaining()) {
          c.addUintContents(b.getInt());
        }
      }
      case INT64 -> {
        while (b.hasRemaining()) {
          c.addInt64Contents(b.getLong());
        }
      }
      case UINT64 -> {
        while (b.hasRemaining()) {
          c.addUint64Contents(b.getLong());
        }
      }
      case FP32 -> {
        while (b.hasRemaining()) {
          c.addFp32Contents(b.getFloat());
        }
      }
      case FP64 -> {
        while (b.hasRemaining()) {
          c.addFp64Contents(b.getDouble());
        }
      }
      case BYTES -> {
        while (b.hasRemaining()) {
          int length = b.getInt();
          ByteBuffer element = b.slice().limit(length);
          c.addBytesContents(ByteString.copyFrom(element));
          b.position(b.position() + length);
        }
      }
      default ->
          throw new ProtocolException(
              label + ": " + datatype + " has no typed contents; send it as raw contents");
    }
    return c.build();
  }

  private static ByteBuffer allocate(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  // ------------------------------------------------------------------ parameters

  private static InferParameter parameter(String key, Object value) {
    InferParameter.Builder p = InferParameter.newBuilder();
    if (value instanceof Boolean v) {
      return p.setBoolParam(v).build();
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      return p.setInt64Param(((Number) value).longValue()).build();
    }
    if (value instanceof Number n) {
      return p.setDoubleParam(n.doubleValue()).build();
    }
    if (value instanceof String s) {
      return p.setStringParam(s).build();
    }
    throw new IllegalArgumentException(
        "parameter '" + key + "' must be a boolean, number or string, got " + value);
  }

  private static Map<String, Object> parameters(Map<String, InferParameter> message) {
    Map<String, Object> out = new LinkedHashMap<>();
    message.forEach(
        (k, p) -> {
          switch (p.getParameterChoiceCase()) {
            case BOOL_PARAM -> out.put(k, p.getBoolParam());
            case INT64_PARAM -> out.put(k, p.getInt64Param());
            case STRING_PARAM -> out.put(k, p.getStringParam());
            case DOUBLE_PARAM -> out.put(k, p.getDoubleParam());
            case UINT64_PARAM -> out.put(k, p.getUint64Param());
            case PARAMETERCHOICE_NOT_SET ->
                throw new ProtocolException("parameter '" + k + "' has no value");
          }
        });
    return out;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
