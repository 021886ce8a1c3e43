package io.surge.serving.ladder;

import static io.surge.serving.ladder.OnnxGraphBuilder.intAttribute;
import static io.surge.serving.ladder.OnnxGraphBuilder.intsAttribute;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds the ONNX graphs of the ladder: the residual MLPs and the zero-compute stand-in. */
final class LadderModels {

  static final String INPUT = "input";
  static final String OUTPUT = "logits";

  /**
   * Scale of the residual branches: block weights have std {@code BRANCH_GAIN / (sqrt(width) *
   * depth)}, so each block adds O(1/depth) to the activations and the whole stack grows them by a
   * bounded factor (no overflow, no denormals, however deep), while batch-1 and batch-N rows stay
   * numerically close.
   */
  private static final double BRANCH_GAIN = 2.0;

  private static final double BIAS_STD = 0.01;

  private LadderModels() {}

  /** The residual MLP of {@link MlpArchitecture}, weights drawn from {@code weights}. */
  static ModelProto residualMlp(String name, MlpArchitecture arch, SeededWeights weights) {
    int width = arch.width();
    int features = Math.toIntExact(arch.inputFeatures());
    OnnxGraphBuilder g = new OnnxGraphBuilder(name);
    g.input(INPUT, arch.inputDims()).output(OUTPUT, List.of((long) arch.classes()));

    String pooled = INPUT;
    if (arch.pool() > 1) {
      pooled = "pooled";
      g.node(
          "AveragePool",
          List.of(INPUT),
          pooled,
          List.of(
              intsAttribute("kernel_shape", arch.pool(), arch.pool()),
              intsAttribute("strides", arch.pool(), arch.pool())));
    }
    g.node("Flatten", List.of(pooled), "flat", List.of(intAttribute("axis", 1)));
    dense(g, weights, name, "stem", features, width, Math.sqrt(2.0 / features), "flat", "stem_out");
    g.node("Relu", List.of("stem_out"), "h0", List.of());

    double blockStd = BRANCH_GAIN / (Math.sqrt(width) * Math.max(1, arch.depth()));
    for (int k = 0; k < Math.min(arch.depth(), arch.distinctBlocks()); k++) {
      addDenseInitializers(g, weights, name, "block" + k, width, width, blockStd);
    }
    String h = "h0";
    for (int i = 0; i < arch.depth(); i++) {
      String block = "block" + (i % arch.distinctBlocks());
      String next = "h" + (i + 1);
      g.node("Gemm", List.of(h, block + "_w", block + "_b"), next + "_pre", gemmAttributes());
      g.node("Relu", List.of(next + "_pre"), next + "_branch", List.of());
      g.node("Add", List.of(h, next + "_branch"), next, List.of());
      h = next;
    }
    dense(g, weights, name, "head", width, arch.classes(), 1.0 / Math.sqrt(width), h, OUTPUT);
    return g.build(
        "Surge ladder model " + name + ": residual MLP " + describe(arch),
        new TreeMap<>(
            Map.of(
                "surge.architecture",
                describe(arch),
                "surge.macs_per_request",
                Long.toString(arch.macsPerRequest()))));
  }

  /**
   * A model that does no real work: the first {@code classes} input values, flattened, as the
   * logits (Flatten + Slice). Same input and output names and shapes as the ladder models, for
   * benchmarks of everything around the model.
   */
  static ModelProto zeroCompute(String name, List<Long> inputDims, int classes) {
    long features = 1;
    for (long d : inputDims) {
      features *= d;
    }
    if (features < classes) {
      throw new IllegalArgumentException(
          "zero-compute model needs at least " + classes + " input values, got " + features);
    }
    OnnxGraphBuilder g = new OnnxGraphBuilder(name);
    g.input(INPUT, inputDims).output(OUTPUT, List.of((long) classes));
    g.longInitializer("starts", new long[] {0})
        .longInitializer("ends", new long[] {classes})
        .longInitializer("axes", new long[] {1});
    g.node("Flatten", List.of(INPUT), "flat", List.of(intAttribute("axis", 1)));
    g.node("Slice", List.of("flat", "starts", "ends", "axes"), OUTPUT, List.of());
    return g.build(
        "Surge zero-compute model " + name + ": Flatten + Slice",
        new TreeMap<>(Map.of("surge.architecture", "zero-compute")));
  }

  private static void dense(
      OnnxGraphBuilder g,
      SeededWeights weights,
      String model,
      String layer,
      int in,
      int out,
      double std,
      String input,
      String output) {
    addDenseInitializers(g, weights, model, layer, in, out, std);
    g.node("Gemm", List.of(input, layer + "_w", layer + "_b"), output, gemmAttributes());
  }

  /** Weight [out, in] (used with transB=1, the layout of a torch Linear) and bias [out]. */
  private static void addDenseInitializers(
      OnnxGraphBuilder g,
      SeededWeights weights,
      String model,
      String layer,
      int in,
      int out,
      double std) {
    g.floatInitializer(
        layer + "_w",
        new long[] {out, in},
        weights.uniform(model, layer + "_w", Math.multiplyExact(out, in), std));
    g.floatInitializer(
        layer + "_b", new long[] {out}, weights.uniform(model, layer + "_b", out, BIAS_STD));
  }

  /** Gemm with transB=1: weights stored [out, in], the layout of a torch Linear layer. */
  private static List<AttributeProto> gemmAttributes() {
    return List.of(intAttribute("transB", 1));
  }

  static String describe(MlpArchitecture arch) {
    return "input="
        + arch.inputDims()
        + " pool="
        + arch.pool()
        + " width="
        + arch.width()
        + " depth="
        + arch.depth()
        + " distinct_blocks="
        + arch.distinctBlocks()
        + " classes="
        + arch.classes();
  }
}
