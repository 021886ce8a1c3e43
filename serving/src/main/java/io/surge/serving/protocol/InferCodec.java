package io.surge.serving.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Encodes and decodes inference requests and responses: plain JSON, or JSON followed by binary
 * tensor data (the binary tensor data extension). Thread-safe.
 *
 * <p>Decoding trusts nothing: every length is checked against the body before it is used, and every
 * violation is a {@link ProtocolException} (HTTP 400) with a message that names the tensor.
 */
public final class InferCodec {

  private static final String BINARY_DATA_SIZE = "binary_data_size";
  private static final String BINARY_DATA = "binary_data";

  private final ObjectMapper mapper;

  public InferCodec() {
    this.mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
  }

  /** The shared JSON mapper (lenient about NaN/Infinity literals, as Python clients write them). */
  public ObjectMapper mapper() {
    return mapper;
  }

  // ---------------------------------------------------------------- encoding

  /**
   * Encodes a request; inputs travel as binary data when {@code binaryInputs} (FP16 always does).
   */
  public EncodedBody encodeRequest(InferRequest request, boolean binaryInputs) {
    List<InferTensor> binary = new ArrayList<>();
    byte[] json =
        writeJson(
            g -> {
              g.writeStartObject();
              if (request.id() != null) {
                g.writeStringField("id", request.id());
              }
              writeParameters(g, request.parameters());
              g.writeArrayFieldStart("inputs");
              for (InferTensor input : request.inputs()) {
                boolean asBinary = binaryInputs || input.datatype() == Datatype.FP16;
                writeTensor(g, "input '" + input.name() + "'", input, asBinary);
                if (asBinary) {
                  binary.add(input);
                }
              }
              g.writeEndArray();
              writeRequestedOutputs(g, request.outputs());
              g.writeEndObject();
            });
    return assemble(json, binary);
  }

  /**
   * Encodes a response; an output travels as binary data when {@code binaryOutput} says so for its
   * name (FP16 always does).
   */
  public EncodedBody encodeResponse(InferResponse response, Predicate<String> binaryOutput) {
    List<InferTensor> binary = new ArrayList<>();
    byte[] json =
        writeJson(
            g -> {
              g.writeStartObject();
              g.writeStringField("model_name", response.modelName());
              if (response.modelVersion() != null) {
                g.writeStringField("model_version", response.modelVersion());
              }
              if (response.id() != null) {
                g.writeStringField("id", response.id());
              }
              writeParameters(g, response.parameters());
              g.writeArrayFieldStart("outputs");
              for (InferTensor output : response.outputs()) {
                boolean asBinary =
                    binaryOutput.test(output.name()) || output.datatype() == Datatype.FP16;
                writeTensor(g, "output '" + output.name() + "'", output, asBinary);
                if (asBinary) {
                  binary.add(output);
                }
              }
              g.writeEndArray();
              g.writeEndObject();
            });
    return assemble(json, binary);
  }

  private interface JsonBody {
    void write(JsonGenerator g) throws IOException;
  }

  private byte[] writeJson(JsonBody body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeTensor(JsonGenerator g, String label, InferTensor t, boolean asBinary)
      throws IOException {
    TensorLayout.check(label, t.datatype(), t.shape(), t.data());
    g.writeStartObject();
    g.writeStringField("name", t.name());
    g.writeArrayFieldStart("shape");
    for (long d : t.shape()) {
      g.writeNumber(d);
    }
    g.writeEndArray();
    g.writeStringField("datatype", t.datatype().name());
    if (asBinary) {
      g.writeObjectFieldStart("parameters");
      g.writeNumberField(BINARY_DATA_SIZE, t.data().remaining());
      g.writeEndObject();
    } else {
      g.writeFieldName("data");
      TensorJsonWriter.write(g, t);
    }
    g.writeEndObject();
  }

  private static void writeRequestedOutputs(JsonGenerator g, List<RequestedOutput> outputs)
      throws IOException {
    if (outputs.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart("outputs");
    for (RequestedOutput output : outputs) {
      g.writeStartObject();
      g.writeStringField("name", output.name());
      if (output.binaryData() != null) {
        g.writeObjectFieldStart("parameters");
        g.writeBooleanField(BINARY_DATA, output.binaryData());
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void writeParameters(JsonGenerator g, Map<String, Object> parameters)
      throws IOException {
    if (parameters.isEmpty()) {
      return;
    }
    g.writeObjectFieldStart("parameters");
    for (Map.Entry<String, Object> e : parameters.entrySet()) {
      g.writeFieldName(e.getKey());
      writeScalar(g, e.getKey(), e.getValue());
    }
    g.writeEndObject();
  }

  private static void writeScalar(JsonGenerator g, String key, Object value) throws IOException {
    if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      g.writeNumber(((Number) value).longValue());
    } else if (value instanceof BigInteger big) {
      g.writeNumber(big);
    } else if (value instanceof Number n) {
      g.writeNumber(n.doubleValue());
    } else {
      throw new IllegalArgumentException(
          "parameter '" + key + "' must be a string, number or boolean, not " + value);
    }
  }

  /** The JSON part, then each binary tensor's bytes in order, in one exactly sized array. */
  private static EncodedBody assemble(byte[] json, List<InferTensor> binary) {
    long total = json.length;
    for (InferTensor t : binary) {
      total += t.data().remaining();
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("body of " + total + " bytes is too large");
    }
    byte[] body = new byte[(int) total];
    System.arraycopy(json, 0, body, 0, json.length);
    int at = json.length;
    for (InferTensor t : binary) {
      ByteBuffer data = t.data().duplicate();
      int n = data.remaining();
      data.get(body, at, n);
      at += n;
    }
    return new EncodedBody(body, json.length, !binary.isEmpty());
  }

  // ---------------------------------------------------------------- decoding

  /**
   * Parses an {@code Inference-Header-Content-Length} value against the body length; -1 when the
   * header is absent (the whole body is JSON).
   */
  public static int parseHeaderLength(String value, int bodyLength) {
    if (value == null) {
      return -1;
    }
    long length;
    try {
      length = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new ProtocolException(
          EncodedBody.HEADER_LENGTH + " '" + value + "' is not a number of bytes");
    }
    if (length < 0 || length > bodyLength) {
      throw new ProtocolException(
          EncodedBody.HEADER_LENGTH
              + " "
              + length
              + " is beyond the body of "
              + bodyLength
              + " bytes");
    }
    return (int) length;
  }

  /** Decodes a request body; {@code headerLength} from {@link #parseHeaderLength}. */
  public InferRequest decodeRequest(byte[] body, int headerLength) {
    BinaryCursor cursor = BinaryCursor.of(body, headerLength);
    JsonNode root = readRoot(body, cursor.jsonLength());
    List<InferTensor> inputs = readTensors(root, "inputs", "input", cursor);
    if (inputs.isEmpty()) {
      throw new ProtocolException("request has no inputs");
    }
    cursor.requireConsumed();
    return new InferRequest(
        optionalText(root, "id"),
        readParameters(root.get("parameters"), "request"),
        inputs,
        readRequestedOutputs(root.get("outputs")));
  }

  /** Decodes a response body; {@code headerLength} from {@link #parseHeaderLength}. */
  public InferResponse decodeResponse(byte[] body, int headerLength) {
    BinaryCursor cursor = BinaryCursor.of(body, headerLength);
    JsonNode root = readRoot(body, cursor.jsonLength());
    List<InferTensor> outputs = readTensors(root, "outputs", "output", cursor);
    cursor.requireConsumed();
    return new InferResponse(
        optionalText(root, "model_name"),
        optionalText(root, "model_version"),
        optionalText(root, "id"),
        readParameters(root.get("parameters"), "response"),
        outputs);
  }

  /** Parses a JSON object, mapping every parse failure to a protocol error. */
  public JsonNode readRoot(byte[] body, int length) {
    JsonNode root;
    try {
      root = mapper.readTree(body, 0, length);
    } catch (JsonProcessingException e) {
      throw new ProtocolException("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ProtocolException("unreadable JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ProtocolException("the body must be a JSON object");
    }
    return root;
  }

  private List<InferTensor> readTensors(
      JsonNode root, String field, String kind, BinaryCursor cursor) {
    JsonNode array = root.get(field);
    if (array == null || !array.isArray()) {
      throw new ProtocolException("'" + field + "' must be an array of tensors");
    }
    List<InferTensor> tensors = new ArrayList<>(array.size());
    for (JsonNode node : array) {
      tensors.add(readTensor(node, kind, cursor));
    }
    return tensors;
  }

  private InferTensor readTensor(JsonNode node, String kind, BinaryCursor cursor) {
    if (!node.isObject()) {
      throw new ProtocolException("each of the " + kind + "s must be a JSON object");
    }
    String name = requiredText(node, "name", kind);
    String label = kind + " '" + name + "'";
    Datatype datatype = readDatatype(node, label);
    long[] shape = readShape(node.get("shape"), label);
    long count = TensorLayout.elementCount(label, shape);
    Map<String, Object> parameters = readParameters(node.get("parameters"), label);
    Object binarySize = parameters.get(BINARY_DATA_SIZE);
    JsonNode data = node.get("data");
    if (binarySize != null && data != null) {
      throw new ProtocolException(label + ": has both 'data' and binary_data_size");
    }
    ByteBuffer bytes;
    if (binarySize != null) {
      bytes = cursor.take(label, binaryDataSize(label, binarySize));
      TensorLayout.check(label, datatype, shape, bytes);
    } else if (data != null) {
      TensorLayout.fixedByteSize(label, datatype, shape);
      bytes = TensorJsonReader.read(label, datatype, data, count);
    } else {
      throw new ProtocolException(label + ": has neither 'data' nor binary_data_size");
    }
    return new InferTensor(name, datatype, shape, bytes);
  }

  private static long binaryDataSize(String label, Object value) {
    if (value instanceof Long size && size >= 0) {
      return size;
    }
    throw new ProtocolException(label + ": binary_data_size " + value + " is not a byte count");
  }

  private static Datatype readDatatype(JsonNode node, String label) {
    String name = requiredText(node, "datatype", label);
    try {
      return Datatype.parse(name);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(label + ": " + e.getMessage());
    }
  }

  private static long[] readShape(JsonNode node, String label) {
    if (node == null || !node.isArray()) {
      throw new ProtocolException(label + ": 'shape' must be an array of dimensions");
    }
    long[] shape = new long[node.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = node.get(i);
      if (!d.isIntegralNumber() || !d.canConvertToLong()) {
        throw new ProtocolException(label + ": dimension " + d + " is not an integer");
      }
      shape[i] = d.longValue();
    }
    return shape;
  }

  private List<RequestedOutput> readRequestedOutputs(JsonNode node) {
    if (node == null) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new ProtocolException("'outputs' must be an array of requested outputs");
    }
    List<RequestedOutput> outputs = new ArrayList<>(node.size());
    for (JsonNode output : node) {
      if (!output.isObject()) {
        throw new ProtocolException("each requested output must be a JSON object");
      }
      String name = requiredText(output, "name", "requested output");
      Object binary =
          readParameters(output.get("parameters"), "requested output '" + name + "'")
              .get(BINARY_DATA);
      if (binary != null && !(binary instanceof Boolean)) {
        throw new ProtocolException(
            "requested output '" + name + "': binary_data must be true or false");
      }
      outputs.add(new RequestedOutput(name, (Boolean) binary));
    }
    return outputs;
  }

  private static Map<String, Object> readParameters(JsonNode node, String label) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new ProtocolException(label + ": 'parameters' must be a JSON object");
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      parameters.put(e.getKey(), scalar(label, e.getKey(), e.getValue()));
    }
    return parameters;
  }

  private static Object scalar(String label, String key, JsonNode v) {
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isIntegralNumber()) {
      return v.canConvertToLong() ? (Object) v.longValue() : v.bigIntegerValue();
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    throw new ProtocolException(
        label + ": parameter '" + key + "' must be a string, number or boolean");
  }

  private static String requiredText(JsonNode node, String field, String label) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new ProtocolException(label + ": '" + field + "' must be a string");
    }
    return v.textValue();
  }

  private static String optionalText(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new ProtocolException("'" + field + "' must be a string");
    }
    return v.textValue();
  }

  /** Hands out the binary part of a body tensor by tensor, never past its end. */
  private static final class BinaryCursor {
    private final byte[] body;
    private final int jsonLength;
    private int position;

    private BinaryCursor(byte[] body, int jsonLength) {
      this.body = body;
      this.jsonLength = jsonLength;
      this.position = jsonLength;
    }

    static BinaryCursor of(byte[] body, int headerLength) {
      if (headerLength > body.length) {
        throw new ProtocolException(
            EncodedBody.HEADER_LENGTH
                + " "
                + headerLength
                + " is beyond the body of "
                + body.length
                + " bytes");
      }
      return new BinaryCursor(body, headerLength < 0 ? body.length : headerLength);
    }

    int jsonLength() {
      return jsonLength;
    }

    ByteBuffer take(String label, long size) {
      int remaining = body.length - position;
      if (size > remaining) {
        throw new ProtocolException(
            label
                + ": binary data truncated, needs "
                + size
                + " bytes but only "
                + remaining
                + " remain in the body");
      }
      ByteBuffer slice = ByteBuffer.wrap(body, position, (int) size).slice();
      position += (int) size;
      return slice;
    }

    void requireConsumed() {
      if (position != body.length) {
        throw new ProtocolException(
            (body.length - position)
                + " bytes after the JSON are not claimed by any binary_data_size");
      }
    }
  }
}
