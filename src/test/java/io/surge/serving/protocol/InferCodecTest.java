package io.surge.serving.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InferCodecTest {

  private final InferCodec codec = new InferCodec();

  // ------------------------------------------------------------ the spec's binary example

  @Test
  void specExampleRequestCarries19BinaryBytesAfterTheJson() throws Exception {
    InferTensor input0 = tensor("input0", Datatype.UINT32, new long[] {2, 2}, uint32(1, 2, 3, 4));
    InferTensor input1 = tensor("input1", Datatype.BOOL, new long[] {3}, new byte[] {1, 0, 1});
    InferRequest request =
        new InferRequest(
            null, Map.of(), List.of(input0, input1), List.of(RequestedOutput.binary("output0")));

    EncodedBody body = codec.encodeRequest(request, true);

    assertThat(body.hasBinaryData()).isTrue();
    assertThat(body.bytes().length).isEqualTo(body.jsonLength() + 19);
    JsonNode json = codec.readRoot(body.bytes(), body.jsonLength());
    assertThat(json.at("/inputs/0/parameters/binary_data_size").asLong()).isEqualTo(16);
    assertThat(json.at("/inputs/1/parameters/binary_data_size").asLong()).isEqualTo(3);
    assertThat(json.at("/inputs/0/data").isMissingNode()).isTrue();
    assertThat(json.at("/outputs/0/parameters/binary_data").asBoolean()).isTrue();
    byte[] tail = Arrays.copyOfRange(body.bytes(), body.jsonLength(), body.bytes().length);
    assertThat(tail).startsWith(uint32(1, 2, 3, 4)).endsWith(new byte[] {1, 0, 1});

    InferRequest decoded = codec.decodeRequest(body.bytes(), body.jsonLength());
    assertThat(decoded.inputs()).containsExactly(input0, input1);
    assertThat(decoded.wantsBinary("output0")).isTrue();
  }

  @Test
  void specExampleResponseOfFp32ThreeByTwoHasBinaryDataSize24() {
    InferTensor output0 =
        InferTensor.fp32("output0", new long[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6});
    InferResponse response = new InferResponse("mymodel", "1", "r1", Map.of(), List.of(output0));

    EncodedBody body = codec.encodeResponse(response, name -> name.equals("output0"));

    JsonNode json = codec.readRoot(body.bytes(), body.jsonLength());
    assertThat(json.at("/outputs/0/parameters/binary_data_size").asLong()).isEqualTo(24);
    assertThat(body.bytes().length).isEqualTo(body.jsonLength() + 24);
    InferResponse decoded = codec.decodeResponse(body.bytes(), body.jsonLength());
    assertThat(decoded.outputs()).containsExactly(output0);
    assertThat(decoded.id()).isEqualTo("r1");
    assertThat(decoded.modelVersion()).isEqualTo("1");
  }

  @Test
  void decodesAHandWrittenBinaryRequestWithWhitespaceInTheHeader() throws Exception {
    String json =
        "{\n  \"inputs\" : [\n    { \"name\" : \"input0\", \"shape\" : [ 2, 2 ], \"datatype\" :"
            + " \"UINT32\", \"parameters\" : { \"binary_data_size\" : 16 } },\n    { \"name\" :"
            + " \"input1\", \"shape\" : [ 3 ], \"datatype\" : \"BOOL\", \"parameters\" : {"
            + " \"binary_data_size\" : 3 } }\n  ],\n  \"outputs\" : [ { \"name\" : \"output0\","
            + " \"parameters\" : { \"binary_data\" : true } } ]\n}";
    byte[] header = json.getBytes(UTF_8);
    byte[] body = concat(header, uint32(7, 8, 9, 10), new byte[] {0, 1, 0});

    int length = InferCodec.parseHeaderLength(Integer.toString(header.length), body.length);
    InferRequest request = codec.decodeRequest(body, length);

    assertThat(body.length).isEqualTo(header.length + 19);
    assertThat(request.inputs().get(0).data().getInt(12)).isEqualTo(10);
    assertThat(request.inputs().get(1).data().get(1)).isEqualTo((byte) 1);
    assertThat(request.outputs()).containsExactly(RequestedOutput.binary("output0"));
  }

  // ------------------------------------------------------------ BYTES

  @Test
  void bytesElementsAreFourByteLittleEndianLengthPrefixed() {
    InferTensor words =
        BytesTensors.of("words", new long[] {2}, List.of(utf8("hi"), utf8("héllo")));
    InferRequest request = InferRequest.of(List.of(words));

    EncodedBody body = codec.encodeRequest(request, true);

    byte[] tail = Arrays.copyOfRange(body.bytes(), body.jsonLength(), body.bytes().length);
    ByteBuffer b = ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getInt()).isEqualTo(2);
    b.position(b.position() + 2);
    assertThat(b.getInt()).isEqualTo(6);
    assertThat(tail.length).isEqualTo(4 + 2 + 4 + 6);
    assertThat(
            codec
                .readRoot(body.bytes(), body.jsonLength())
                .at("/inputs/0/parameters/binary_data_size")
                .asInt())
        .isEqualTo(16);
    InferTensor decoded = codec.decodeRequest(body.bytes(), body.jsonLength()).inputs().get(0);
    assertThat(BytesTensors.elements(decoded)).containsExactly(utf8("hi"), utf8("héllo"));
  }

  @Test
  void bytesTravelAsStringsInJson() {
    InferTensor words = BytesTensors.of("words", new long[] {2}, List.of(utf8("a b"), utf8("ü")));
    EncodedBody body = codec.encodeRequest(InferRequest.of(List.of(words)), false);

    JsonNode json = codec.readRoot(body.bytes(), body.jsonLength());
    assertThat(json.at("/inputs/0/data/0").asText()).isEqualTo("a b");
    assertThat(json.at("/inputs/0/data/1").asText()).isEqualTo("ü");
    assertThat(codec.decodeRequest(body.bytes(), -1).inputs()).containsExactly(words);
  }

  @Test
  void rejectsBytesElementWhoseLengthRunsPastItsTensor() {
    byte[] data = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putInt(100).array();
    byte[] body = binaryRequest("BYTES", "[1]", data);

    assertThatThrownBy(() -> decodeWithHeader(body))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("claims 100 bytes");
  }

  // ------------------------------------------------------------ JSON

  @Test
  void everyJsonDatatypeRoundTripsThroughJson() {
    List<InferTensor> tensors =
        List.of(
            tensor("b", Datatype.BOOL, new long[] {2}, new byte[] {1, 0}),
            tensor("u8", Datatype.UINT8, new long[] {2}, new byte[] {(byte) 255, 0}),
            tensor("i8", Datatype.INT8, new long[] {2}, new byte[] {-128, 127}),
            tensor("u16", Datatype.UINT16, new long[] {1}, le(2).putShort((short) 0xFFFF)),
            tensor("i16", Datatype.INT16, new long[] {1}, le(2).putShort(Short.MIN_VALUE)),
            tensor("u32", Datatype.UINT32, new long[] {1}, le(4).putInt(-1)),
            tensor("i32", Datatype.INT32, new long[] {1}, le(4).putInt(Integer.MIN_VALUE)),
            tensor("u64", Datatype.UINT64, new long[] {1}, le(8).putLong(-1L)),
            tensor("i64", Datatype.INT64, new long[] {1}, le(8).putLong(Long.MIN_VALUE)),
            tensor("f32", Datatype.FP32, new long[] {2}, le(8).putFloat(1.5f).putFloat(Float.NaN)),
            tensor("f64", Datatype.FP64, new long[] {1}, le(8).putDouble(-2.25e300)));

    EncodedBody body = codec.encodeRequest(InferRequest.of(tensors), false);

    assertThat(body.hasBinaryData()).isFalse();
    assertThat(body.jsonLength()).isEqualTo(body.bytes().length);
    String text = new String(body.bytes(), UTF_8);
    assertThat(text).contains("18446744073709551615").contains("4294967295");
    assertThat(codec.decodeRequest(body.bytes(), -1).inputs()).containsExactlyElementsOf(tensors);
  }

  @Test
  void fp16AlwaysTravelsAsBinaryEvenInJsonMode() {
    InferTensor half = tensor("h", Datatype.FP16, new long[] {2}, new byte[] {0, 60, 0, -68});
    EncodedBody body = codec.encodeRequest(InferRequest.of(List.of(half)), false);

    assertThat(body.hasBinaryData()).isTrue();
    assertThat(body.bytes().length).isEqualTo(body.jsonLength() + 4);
    assertThat(codec.decodeRequest(body.bytes(), body.jsonLength()).inputs()).containsExactly(half);
  }

  @Test
  void nestedDataIsFlattenedRowMajor() {
    String json =
        "{\"id\":\"x\",\"parameters\":{\"priority\":2,\"tag\":\"t\"},\"inputs\":[{\"name\":\"in\","
            + "\"shape\":[2,3],\"datatype\":\"INT32\",\"data\":[[1,2,3],[4,5,6]]}]}";

    InferRequest request = codec.decodeRequest(json.getBytes(UTF_8), -1);

    ByteBuffer data = request.inputs().get(0).data();
    assertThat(data.remaining()).isEqualTo(24);
    assertThat(data.getInt(0)).isEqualTo(1);
    assertThat(data.getInt(20)).isEqualTo(6);
    assertThat(request.id()).isEqualTo("x");
    assertThat(request.parameters()).containsEntry("priority", 2L).containsEntry("tag", "t");
  }

  @Test
  void requestOutputsAndBinaryDataOutputAreRead() {
    String json =
        "{\"parameters\":{\"binary_data_output\":true},\"inputs\":[{\"name\":\"in\",\"shape\":[1],"
            + "\"datatype\":\"FP32\",\"data\":[1]}],\"outputs\":[{\"name\":\"a\"},"
            + "{\"name\":\"b\",\"parameters\":{\"binary_data\":false}}]}";

    InferRequest request = codec.decodeRequest(json.getBytes(UTF_8), -1);

    assertThat(request.outputNames()).containsExactly("a", "b");
    assertThat(request.wantsBinary("a")).isTrue();
    assertThat(request.wantsBinary("b")).isFalse();
  }

  // ------------------------------------------------------------ defensive decoding

  @Test
  void malformedJsonIsA400() {
    assertRejected("{\"inputs\": [", "malformed JSON");
    assertRejected("[1,2]", "must be a JSON object");
    assertRejected("{}", "'inputs' must be an array");
  }

  @Test
  void unknownDatatypeIsA400() {
    assertRejected(jsonInput("FLOAT32", "[1]", "[1.0]"), "unknown datatype 'FLOAT32'");
  }

  @Test
  void negativeAndOverflowingShapesAreRejected() {
    assertRejected(jsonInput("FP32", "[-1, 2]", "[1.0, 2.0]"), "negative dimension");
    assertRejected(jsonInput("FP32", "[4294967296, 4294967296, 4294967296]", "[1.0]"), "overflows");
    assertRejected(jsonInput("FP32", "[1.5]", "[1.0]"), "is not an integer");
  }

  @Test
  void hugeShapeIsRejectedWithoutAllocating() {
    assertRejected(jsonInput("FP32", "[1000000, 1000000]", "[1.0]"), "too large");
    byte[] body = binaryRequest("FP32", "[100000000]", new byte[8], 400_000_000L);
    assertThatThrownBy(() -> decodeWithHeader(body)).hasMessageContaining("binary data truncated");
  }

  @Test
  void dataCountNotMatchingTheShapeIsRejected() {
    assertRejected(
        jsonInput("FP32", "[2, 2]", "[1.0, 2.0, 3.0]"), "holds 4 elements but 'data' has 3");
    byte[] body = binaryRequest("FP32", "[2]", new byte[12]);
    assertThatThrownBy(() -> decodeWithHeader(body))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("needs 8 bytes of data but has 12");
  }

  @Test
  void valuesOutOfTheDatatypesRangeAreRejected() {
    assertRejected(jsonInput("UINT8", "[1]", "[256]"), "not a valid UINT8");
    assertRejected(jsonInput("INT32", "[1]", "[1.5]"), "not a valid INT32");
    assertRejected(jsonInput("BOOL", "[1]", "[1]"), "not a valid BOOL");
    assertRejected(jsonInput("FP16", "[1]", "[1.0]"), "FP16 has no JSON form");
    assertRejected(jsonInput("BYTES", "[1]", "[3]"), "not a valid BYTES");
  }

  @Test
  void truncatedBinaryPartIsRejected() {
    byte[] full = binaryRequest("FP32", "[4]", new byte[16]);
    byte[] truncated = Arrays.copyOf(full, full.length - 5);

    assertThatThrownBy(() -> decodeWithHeader(truncated))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("needs 16 bytes but only 11 remain");
  }

  @Test
  void headerLengthBeyondTheBodyIsRejected() {
    assertThatThrownBy(() -> InferCodec.parseHeaderLength("500", 100))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("beyond the body");
    assertThatThrownBy(() -> InferCodec.parseHeaderLength("-3", 100))
        .hasMessageContaining("beyond the body");
    assertThatThrownBy(() -> InferCodec.parseHeaderLength("ten", 100))
        .hasMessageContaining("not a number");
    assertThatThrownBy(() -> codec.decodeRequest(new byte[10], 11))
        .hasMessageContaining("beyond the body");
  }

  @Test
  void bytesNotClaimedByAnyTensorAreRejected() {
    byte[] body = binaryRequest("FP32", "[1]", new byte[4]);
    byte[] extra = Arrays.copyOf(body, body.length + 3);

    assertThatThrownBy(() -> decodeWithHeader(extra))
        .hasMessageContaining("3 bytes after the JSON are not claimed");
  }

  @Test
  void rejectionsCarryStatus400() {
    ProtocolException e =
        (ProtocolException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> codec.decodeRequest("nope".getBytes(UTF_8), -1));
    assertThat(e.httpStatus()).isEqualTo(400);
  }

  // ------------------------------------------------------------ helpers

  private void assertRejected(String json, String message) {
    assertThatThrownBy(() -> codec.decodeRequest(json.getBytes(UTF_8), -1))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining(message);
  }

  private static String jsonInput(String datatype, String shape, String data) {
    return "{\"inputs\":[{\"name\":\"in\",\"datatype\":\""
        + datatype
        + "\",\"shape\":"
        + shape
        + ",\"data\":"
        + data
        + "}]}";
  }

  /** A request whose one input declares binary_data_size = data.length, followed by the data. */
  private static byte[] binaryRequest(String datatype, String shape, byte[] data) {
    return binaryRequest(datatype, shape, data, data.length);
  }

  private static byte[] binaryRequest(String datatype, String shape, byte[] data, long declared) {
    String json =
        "{\"inputs\":[{\"name\":\"in\",\"datatype\":\""
            + datatype
            + "\",\"shape\":"
            + shape
            + ",\"parameters\":{\"binary_data_size\":"
            + declared
            + "}}]}";
    return concat(json.getBytes(UTF_8), data);
  }

  /** Decodes a body made by binaryRequest, whose JSON is the body minus the binary part. */
  private InferRequest decodeWithHeader(byte[] body) {
    int jsonEnd = new String(body, UTF_8).indexOf("}}]}") + 4;
    return codec.decodeRequest(body, jsonEnd);
  }

  private static InferTensor tensor(String name, Datatype type, long[] shape, byte[] data) {
    return new InferTensor(name, type, shape, ByteBuffer.wrap(data));
  }

  private static InferTensor tensor(String name, Datatype type, long[] shape, ByteBuffer data) {
    return new InferTensor(name, type, shape, data.flip());
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] uint32(int... values) {
    ByteBuffer b = le(values.length * 4);
    for (int v : values) {
      b.putInt(v);
    }
    return b.array();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
