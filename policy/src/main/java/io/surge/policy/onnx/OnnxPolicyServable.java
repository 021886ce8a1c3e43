package io.surge.policy.onnx;

import io.surge.policy.ActionSampler;
import io.surge.policy.Decision;
import io.surge.policy.DecisionContext;
import io.surge.policy.SchedulingPolicy;
import io.surge.state.ObservationSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.ml.linalg.DenseVector;
import org.apache.flink.ml.linalg.Vector;
import org.apache.flink.ml.param.LongParam;
import org.apache.flink.ml.param.Param;
import org.apache.flink.ml.param.ParamValidators;
import org.apache.flink.ml.param.StringParam;
import org.apache.flink.ml.servable.api.DataFrame;
import org.apache.flink.ml.servable.api.ModelServable;
import org.apache.flink.ml.servable.api.Row;
import org.apache.flink.ml.servable.types.BasicType;
import org.apache.flink.ml.servable.types.DataTypes;

/**
 * The running ONNX policy of one service as a Flink ML {@link ModelServable} (DESIGN.md section 3):
 * a new model arrives through {@link #setModelData} (validated by {@link OnnxPolicy#load}; a
 * refused one leaves the current model serving), and batches of observations are scored through
 * {@link #transform(DataFrame)}. The per-request decision ({@link #decide}) goes straight to the
 * current {@link OnnxPolicy} and its reused buffers: no {@link DataFrame} per request.
 *
 * <p>Flink ML types stay inside this class: records and state carry bytes and versions, and callers
 * outside {@code policy/} score batches with {@link #argmaxActions}, which takes and returns
 * arrays.
 *
 * <pre>{@code
 * OnnxPolicyServable servable = new OnnxPolicyServable(spec, actions);
 * servable.set(OnnxPolicyServable.EXPECTED_SHA256, update.getSha256())
 *     .setModelData(new ByteArrayInputStream(bytes));      // hot swap, or RejectedModelException
 * servable.decide(observation, mask, key, context, decision); // the decision path
 * DataFrame scored = servable.transform(frame);             // adds probabilities and action
 * }</pre>
 *
 * <p>Not thread-safe, like {@link OnnxPolicy}: one instance per operator subtask or thread.
 */
public final class OnnxPolicyServable
    implements ModelServable<OnnxPolicyServable>, SchedulingPolicy {

  /** Input column: the observation, a {@link Vector} of D values or a {@code float[]}. */
  public static final String OBSERVATION_COLUMN = PolicyModelContract.OBSERVATION;

  /** Input column: the action mask, a {@link Vector} of A values or a {@code float[]}. */
  public static final String MASK_COLUMN = PolicyModelContract.MASK;

  /** Output column: the model's probabilities, a {@link DenseVector} of A values. */
  public static final String PROBABILITIES_COLUMN = PolicyModelContract.PROBABILITIES;

  /** Output column: the most probable allowed action, an int (what the job serves by default). */
  public static final String ACTION_COLUMN = "action";

  /** Rows per ONNX Runtime run in {@link #transform}. */
  static final int CHUNK_ROWS = 1024;

  public static final Param<String> EXPECTED_SHA256 =
      new StringParam(
          "expectedSha256",
          "Hex SHA-256 the next model's bytes must have (the PolicyUpdate's); null: not checked.",
          null);

  public static final Param<Long> MAX_BYTES =
      new LongParam(
          "maxBytes",
          "Largest model setModelData accepts.",
          PolicyFile.DEFAULT_MAX_BYTES,
          ParamValidators.gt(0));

  public static final Param<String> MODE =
      new StringParam(
          "mode",
          "How decide() takes an action from the probabilities: SAMPLE, ARGMAX or EPSILON_GREEDY.",
          OnnxPolicy.Mode.SAMPLE.name(),
          ParamValidators.inArray(
              Arrays.stream(OnnxPolicy.Mode.values()).map(Enum::name).toArray(String[]::new)));

  private final Map<Param<?>, Object> params = new HashMap<>();
  private final ObservationSpec spec;
  private final List<String> variantNames;
  private final Decision argmax = new Decision();
  private OnnxPolicy current;

  /**
   * @param spec the observation spec the job builds for the service (a model must match its hash)
   * @param variantNames the service's variants in action order
   */
  public OnnxPolicyServable(ObservationSpec spec, List<String> variantNames) {
    this.spec = spec;
    this.variantNames = List.copyOf(variantNames);
    params.put(EXPECTED_SHA256, null);
    params.put(MAX_BYTES, PolicyFile.DEFAULT_MAX_BYTES);
    params.put(MODE, OnnxPolicy.Mode.SAMPLE.name());
  }

  /** The parameters of {@link OnnxPolicy.Options}. */
  public OnnxPolicyServable withOptions(OnnxPolicy.Options options) {
    return set(EXPECTED_SHA256, options.expectedSha256())
        .set(MAX_BYTES, options.maxBytes())
        .set(MODE, options.mode().name());
  }

  /**
   * Loads one policy model (one stream: the model's bytes) and makes it the current one; the
   * previous model's session is closed. The model is validated first with the current parameters
   * (size cap, SHA-256, spec hash, actions, signature, canaries).
   *
   * @throws RejectedModelException when the model must not be served; the current model stays
   * @throws IOException when the stream cannot be read; the current model stays
   */
  @Override
  public OnnxPolicyServable setModelData(InputStream... modelDataInputs) throws IOException {
    if (modelDataInputs.length != 1) {
      throw new IllegalArgumentException(
          "a policy model is one stream of ONNX bytes, got " + modelDataInputs.length);
    }
    long maxBytes = get(MAX_BYTES);
    // one byte more than the cap, so that PolicyFile sees a too-large model and says so
    byte[] bytes =
        modelDataInputs[0].readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    OnnxPolicy next;
    try {
      next = OnnxPolicy.load(bytes, spec, variantNames, options());
    } catch (PolicyRejectedException e) {
      throw new RejectedModelException(e);
    }
    OnnxPolicy previous = current;
    current = next;
    if (previous != null) {
      previous.close();
    }
    return this;
  }

  /**
   * Scores every row: adds {@value #PROBABILITIES_COLUMN} and {@value #ACTION_COLUMN} (the argmax
   * over the allowed actions) to {@code input} and returns it. Rows go to ONNX Runtime in chunks of
   * {@value #CHUNK_ROWS}.
   *
   * @throws IllegalStateException when no model has been set, or ONNX Runtime fails
   */
  @Override
  public DataFrame transform(DataFrame input) {
    OnnxPolicy policy = requireModel();
    int d = policy.dimension();
    int a = policy.actionCount();
    int observationIndex = input.getIndex(OBSERVATION_COLUMN);
    int maskIndex = input.getIndex(MASK_COLUMN);
    List<Row> rows = input.collect();
    List<DenseVector> probabilities = new ArrayList<>(rows.size());
    List<Integer> actions = new ArrayList<>(rows.size());
    float[] observations = new float[Math.min(rows.size(), CHUNK_ROWS) * d];
    float[] masks = new float[Math.min(rows.size(), CHUNK_ROWS) * a];
    float[] out = new float[Math.min(rows.size(), CHUNK_ROWS) * a];
    float[] mask = new float[a];
    float[] p = new float[a];
    for (int start = 0; start < rows.size(); start += CHUNK_ROWS) {
      int n = Math.min(CHUNK_ROWS, rows.size() - start);
      for (int r = 0; r < n; r++) {
        Row row = rows.get(start + r);
        copyInto(row.get(observationIndex), OBSERVATION_COLUMN, d, observations, r * d);
        copyInto(row.get(maskIndex), MASK_COLUMN, a, masks, r * a);
      }
      policy.evaluateBatch(observations, masks, n, out);
      for (int r = 0; r < n; r++) {
        double[] values = new double[a];
        for (int i = 0; i < a; i++) {
          values[i] = out[r * a + i];
          p[i] = out[r * a + i];
        }
        System.arraycopy(masks, r * a, mask, 0, a);
        ActionSampler.argmax(p, mask, argmax);
        probabilities.add(new DenseVector(values));
        actions.add(argmax.action());
      }
    }
    return input
        .addColumn(PROBABILITIES_COLUMN, DataTypes.VECTOR(BasicType.DOUBLE), probabilities)
        .addColumn(ACTION_COLUMN, DataTypes.INT, actions);
  }

  /**
   * Batch scoring for code that keeps Flink ML types out of its API (the learner's guard): the
   * argmax action of each observation and mask, through {@link #transform(DataFrame)}.
   */
  public int[] argmaxActions(List<float[]> observations, List<float[]> masks) {
    if (observations.size() != masks.size()) {
      throw new IllegalArgumentException(
          observations.size() + " observations but " + masks.size() + " masks");
    }
    List<Row> rows = new ArrayList<>(observations.size());
    for (int i = 0; i < observations.size(); i++) {
      rows.add(new Row(new ArrayList<>(List.of(observations.get(i), masks.get(i)))));
    }
    DataFrame frame =
        new DataFrame(
            // mutable lists: transform adds its columns to them
            new ArrayList<>(List.of(OBSERVATION_COLUMN, MASK_COLUMN)),
            new ArrayList<>(
                List.of(DataTypes.VECTOR(BasicType.FLOAT), DataTypes.VECTOR(BasicType.FLOAT))),
            rows);
    DataFrame scored = transform(frame);
    int column = scored.getIndex(ACTION_COLUMN);
    List<Row> out = scored.collect();
    int[] actions = new int[out.size()];
    for (int i = 0; i < actions.length; i++) {
      actions[i] = (Integer) out.get(i).get(column);
    }
    return actions;
  }

  @Override
  public void decide(
      float[] observation, float[] mask, long requestSeed, DecisionContext context, Decision out) {
    requireModel().decide(observation, mask, requestSeed, context, out);
  }

  /** True once a model has been set. */
  public boolean hasModel() {
    return current != null;
  }

  /** The current model, for its metadata (SHA-256, trained-on); null before the first one. */
  public OnnxPolicy current() {
    return current;
  }

  @Override
  public String name() {
    return current == null ? "onnx-servable (no model)" : current.name();
  }

  @Override
  public long version() {
    return current == null ? 0 : current.version();
  }

  @Override
  public Map<Param<?>, Object> getParamMap() {
    return params;
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
      current = null;
    }
  }

  private OnnxPolicy.Options options() {
    return OnnxPolicy.Options.defaults()
        .withExpectedSha256(get(EXPECTED_SHA256))
        .withMaxBytes(get(MAX_BYTES))
        .withMode(OnnxPolicy.Mode.valueOf(get(MODE)));
  }

  private OnnxPolicy requireModel() {
    if (current == null) {
      throw new IllegalStateException("no policy model set yet: call setModelData first");
    }
    return current;
  }

  private static void copyInto(Object value, String column, int width, float[] to, int offset) {
    if (value instanceof float[] floats && floats.length >= width) {
      System.arraycopy(floats, 0, to, offset, width);
    } else if (value instanceof Vector vector && vector.size() == width) {
      for (int i = 0; i < width; i++) {
        to[offset + i] = (float) vector.get(i);
      }
    } else {
      throw new IllegalArgumentException(
          "column '"
              + column
              + "' needs a Vector or float[] of "
              + width
              + " values, got "
              + (value == null ? "null" : value.getClass().getSimpleName()));
    }
  }

  /** {@link #setModelData} refused a model: the validator's reason, as an {@link IOException}. */
  public static final class RejectedModelException extends IOException {

    private final PolicyRejectedException rejection;

    RejectedModelException(PolicyRejectedException rejection) {
      super(rejection.getMessage(), rejection);
      this.rejection = rejection;
    }

    public PolicyRejectedException rejection() {
      return rejection;
    }

    public PolicyRejectedException.Reason reason() {
      return rejection.reason();
    }
  }
}
