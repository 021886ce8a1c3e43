package io.surge.serving.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.surge.serving.grpc.v2.ModelInferRequest;
import io.surge.serving.grpc.v2.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GrpcCodecTest {

  @ParameterizedTest
  @EnumSource(
      value = Datatype.class,
      names = {"FP16"},
      mode = EnumSource.Mode.EXCLUDE)
  void typedContentsCarryEveryDatatypeByteExactly(Datatype datatype) {
    InferTensor tensor = sample(datatype);
    InferRequest request = new InferRequest("r", Map.of(), List.of(tensor), List.of());

    InferRequest typed =
        GrpcCodec.decodeRequest(GrpcCodec.encodeRequest("m", null, request, false));
    InferRequest raw = GrpcCodec.decodeRequest(GrpcCodec.encodeRequest("m", null, request, true));

    assertThat(typed.inputs()).containsExactly(tensor);
    assertThat(raw.inputs()).containsExactly(tensor);
  }

  @Test
  void fp16HasNoTypedContents() {
    InferTensor half =
        new InferTensor("x", Datatype.FP16, new long[] {2}, ByteBuffer.wrap(new byte[4]));
    InferRequest request = InferRequest.of(List.of(half));

    assertThatThrownBy(() -> GrpcCodec.encodeRequest("m", null, request, false))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("FP16 has no typed contents");
    assertThat(GrpcCodec.decodeRequest(GrpcCodec.encodeRequest("m", null, request, true)).inputs())
        .containsExactly(half);
  }

  @Test
  void parametersIdAndRequestedOutputsSurviveTheRoundTrip() {
    InferRequest request =
        new InferRequest(
            "id-1",
            Map.of("timeout", 1500L, "binary_data_output", true, "tag", "a", "ratio", 0.5),
            List.of(InferTensor.fp32("x", new long[] {1, 2}, new float[] {1, 2})),
            List.of(RequestedOutput.of("y")));

    ModelInferRequest message = GrpcCodec.encodeRequest("m", "3", request, true);
    InferRequest back = GrpcCodec.decodeRequest(message);

    assertThat(message.getModelVersion()).isEqualTo("3");
    assertThat(back.id()).isEqualTo("id-1");
    assertThat(back.parameters())
        .containsEntry("timeout", 1500L)
        .containsEntry("binary_data_output", true)
        .containsEntry("tag", "a")
        .containsEntry("ratio", 0.5);
    assertThat(back.outputNames()).containsExactly("y");
  }

  @Test
  void malformedMessagesAreProtocolErrors() {
    ModelInferRequest good =
        GrpcCodec.encodeRequest(
            "m",
            null,
            InferRequest.of(List.of(InferTensor.fp32("x", new long[] {2}, new float[] {1, 2}))),
            true);

    assertThatThrownBy(() -> GrpcCodec.decodeRequest(good.toBuilder().clearInputs().build()))
        .hasMessageContaining("expected 0 raw_input_contents");
    assertThatThrownBy(
            () ->
                GrpcCodec.decodeRequest(
                    good.toBuilder().clearInputs().clearRawInputContents().build()))
        .hasMessageContaining("request has no inputs");
    assertThatThrownBy(
            () ->
                GrpcCodec.decodeRequest(
                    good.toBuilder()
                        .setInputs(0, good.getInputs(0).toBuilder().clearShape().addShape(-2))
                        .build()))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("negative dimension");
    assertThatThrownBy(
            () -> GrpcCodec.decodeRequest(good.toBuilder().clearRawInputContents().build()))
        .hasMessageContaining("no data");
  }

  @Test
  void responsesDecodeFromRawOrTypedOutputs() {
    InferTensor out = InferTensor.fp32("y", new long[] {1, 2}, new float[] {3, 4});
    InferResponse response = new InferResponse("m", "1", "r", Map.of(), List.of(out));

    ModelInferResponse raw = GrpcCodec.encodeResponse(response);
    ModelInferResponse typed =
        raw.toBuilder()
            .clearRawOutputContents()
            .setOutputs(
                0,
                raw.getOutputs(0).toBuilder()
                    .setContents(GrpcCodec.typedContents("y", Datatype.FP32, out.data())))
            .build();

    assertThat(GrpcCodec.decodeResponse(raw)).isEqualTo(response);
    assertThat(GrpcCodec.decodeResponse(typed)).isEqualTo(response);
    assertThatThrownBy(
            () ->
                GrpcCodec.decodeResponse(
                    raw.toBuilder().addRawOutputContents(ByteString.EMPTY).build()))
        .hasMessageContaining("expected 1 raw_output_contents");
  }

  /** Three elements with edge values of the datatype, in the binary layout. */
  private static InferTensor sample(Datatype datatype) {
    ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    switch (datatype) {
      case BOOL -> b.put((byte) 1).put((byte) 0).put((byte) 1);
      case INT8 -> b.put((byte) -128).put((byte) 0).put((byte) 127);
      case UINT8 -> b.put((byte) 0xff).put((byte) 0).put((byte) 1);
      case INT16 -> b.putShort((short) -32768).putShort((short) 0).putShort((short) 7);
      case UINT16 -> b.putShort((short) 0xffff).putShort((short) 0).putShort((short) 7);
      case INT32 -> b.putInt(Integer.MIN_VALUE).putInt(0).putInt(Integer.MAX_VALUE);
      case UINT32 -> b.putInt(0xffffffff).putInt(0).putInt(1);
      case INT64 -> b.putLong(Long.MIN_VALUE).putLong(0).putLong(Long.MAX_VALUE);
      case UINT64 -> b.putLong(-1L).putLong(0).putLong(1);
      case FP32 -> b.putFloat(-1.5f).putFloat(0f).putFloat(Float.MAX_VALUE);
      case FP64 -> b.putDouble(-1.5).putDouble(0).putDouble(Double.MIN_VALUE);
      case BYTES -> b.putInt(2).put((byte) 'h').put((byte) 'i').putInt(0).putInt(1).put((byte) 0);
      default -> throw new IllegalArgumentException(datatype.name());
    }
    return new InferTensor("x", datatype, new long[] {3}, b.flip());
  }
}
