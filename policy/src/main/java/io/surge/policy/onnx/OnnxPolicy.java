package io.surge.policy.onnx;

import static io.surge.policy.onnx.PolicyRejectedException.Reason.CANARY_FAILED;
import static io.surge.policy.onnx.PolicyRejectedException.Reason.LOAD_FAILED;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.surge.policy.ActionSampler;
import io.surge.policy.Decision;
import io.surge.policy.DecisionContext;
import io.surge.policy.SchedulingPolicy;
import io.surge.state.ObservationSpec;
import io.surge.state.onnx.OrtRuntime;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A learned policy served from an ONNX model that meets the policy-model contract (DESIGN.md
 * section 6). {@link #load} validates untrusted bytes before anything is served: size cap, SHA-256,
 * no external data or custom operators, metadata (spec hash, action list, version), input and
 * output names and shapes, and a canary inference whose outputs must be finite and normalised. Each
 * refusal is a {@link PolicyRejectedException} with its reason.
 *
 * <p>Serving copies the observation and mask into preallocated direct buffers that back the input
 * tensors, and ONNX Runtime writes the probabilities into a pinned, preallocated output tensor. The
 * action is sampled from the masked probabilities with a uniform number derived from the request id
 * (replays get the same action; the logged probability is the true behaviour probability), taken as
 * the argmax in {@link Mode#ARGMAX} (evaluation), or the argmax but for an ε of sampled ones in
 * {@link Mode#EPSILON_GREEDY} (the logged probability is then the mixture's).
 *
 * <p>Not thread-safe (its buffers are reused): one instance per operator subtask or simulator
 * thread. Uses the JVM's single {@link OrtEnvironment}; {@link #close()} releases the session.
 */
public final class OnnxPolicy implements SchedulingPolicy {

  /** How an action is drawn from the probabilities. */
  public enum Mode {
    SAMPLE,
    ARGMAX,
    /**
     * The argmax, except for {@link #EXPLORATION} of the requests (by their seed), which are
     * sampled: an argmax job whose logged decisions carry behaviour probabilities below 1.
     */
    EPSILON_GREEDY;

    /** ε of {@link #EPSILON_GREEDY}: a few per cent, so the served policy is nearly the argmax. */
    public static final double EXPLORATION = 0.05;
  }

  /**
   * @param maxBytes largest model accepted
   * @param expectedSha256 hex SHA-256 the bytes must have (e.g. the PolicyUpdate's), or null
   * @param mode sampling (serving, training) or argmax (evaluation)
   */
  public record Options(long maxBytes, String expectedSha256, Mode mode) {
    public static Options defaults() {
      return new Options(PolicyFile.DEFAULT_MAX_BYTES, null, Mode.SAMPLE);
    }

    public Options withExpectedSha256(String sha256) {
      return new Options(maxBytes, sha256, mode);
    }

    public Options withMode(Mode m) {
      return new Options(maxBytes, expectedSha256, m);
    }

    public Options withMaxBytes(long bytes) {
      return new Options(bytes, expectedSha256, mode);
    }
  }

  private final OrtSession session;
  private final Mode mode;
  private final long version;
  private final String sha256;
  private final String trainedOn;
  private final int dimension;
  private final int actions;
  private final FloatBuffer observationBuffer;
  private final FloatBuffer maskBuffer;
  private final FloatBuffer probabilityBuffer;
  private final OnnxTensor observationTensor;
  private final OnnxTensor maskTensor;
  private final OnnxTensor probabilityTensor;
  private final Map<String, OnnxTensor> inputs;
  private final Map<String, OnnxTensor> outputs;
  private final float[] probabilities;
  private final boolean takesBatches;

  private OnnxPolicy(
      OrtSession session, Mode mode, long version, String sha256, String trainedOn, int d, int a)
      throws OrtException {
    OrtEnvironment env = OrtRuntime.environment();
    this.session = session;
    this.mode = mode;
    this.version = version;
    this.sha256 = sha256;
    this.trainedOn = trainedOn;
    this.dimension = d;
    this.actions = a;
    this.observationBuffer = directFloats(d);
    this.maskBuffer = directFloats(a);
    this.probabilityBuffer = directFloats(a);
    this.observationTensor = OnnxTensor.createTensor(env, observationBuffer, new long[] {1, d});
    this.maskTensor = OnnxTensor.createTensor(env, maskBuffer, new long[] {1, a});
    this.probabilityTensor = OnnxTensor.createTensor(env, probabilityBuffer, new long[] {1, a});
    this.inputs =
        Map.of(
            PolicyModelContract.OBSERVATION,
            observationTensor,
            PolicyModelContract.MASK,
            maskTensor);
    this.outputs = Map.of(PolicyModelContract.PROBABILITIES, probabilityTensor);
    this.probabilities = new float[a];
    this.takesBatches = PolicySignature.takesBatches(session);
  }

  /**
   * Validates and loads a policy model.
   *
   * @param spec the observation spec this job builds (its hash must match the model's)
   * @param variantNames the service's variants in action order (must match {@code surge.actions})
   * @throws PolicyRejectedException with the reason when the model must not be served
   */
  public static OnnxPolicy load(
      byte[] model, ObservationSpec spec, List<String> variantNames, Options options)
      throws PolicyRejectedException {
    PolicyFile file = PolicyFile.of(model, options.maxBytes(), options.expectedSha256());
    long version = file.checkFits(spec, variantNames);
    OrtSession session = createSession(file.bytesUnsafe());
    OnnxPolicy policy = null;
    try {
      PolicySignature.check(session, spec.dimension(), spec.actionCount());
      policy =
          new OnnxPolicy(
              session,
              options.mode(),
              version,
              file.sha256(),
              file.trainedOn(),
              spec.dimension(),
              spec.actionCount());
      policy.runCanaries();
      return policy;
    } catch (OrtException e) {
      closeQuietly(policy, session);
      throw new PolicyRejectedException(
          LOAD_FAILED, "cannot prepare the model: " + e.getMessage(), e);
    } catch (PolicyRejectedException e) {
      closeQuietly(policy, session);
      throw e;
    }
  }

  @Override
  public void decide(
      float[] observation, float[] mask, long requestSeed, DecisionContext context, Decision out) {
    evaluate(observation, mask);
    switch (mode) {
      case ARGMAX -> ActionSampler.argmax(probabilities, mask, out);
      case EPSILON_GREEDY ->
          ActionSampler.epsilonGreedy(probabilities, mask, requestSeed, Mode.EXPLORATION, out);
      case SAMPLE -> ActionSampler.sample(probabilities, mask, requestSeed, out);
    }
  }

  /**
   * Runs the model on one observation and mask; returns the model's probabilities in a buffer this
   * policy reuses (valid until the next call).
   *
   * @throws IllegalStateException when ONNX Runtime fails (the caller falls back to a heuristic)
   */
  public float[] evaluate(float[] observation, float[] mask) {
    if (observation.length < dimension || mask.length != actions) {
      throw new IllegalArgumentException(
          "observation of "
              + observation.length
              + " (need "
              + dimension
              + "), mask of "
              + mask.length
              + " (need "
              + actions
              + ")");
    }
    observationBuffer.clear();
    observationBuffer.put(observation, 0, dimension);
    maskBuffer.clear();
    maskBuffer.put(mask, 0, actions);
    try (OrtSession.Result ignored = session.run(inputs, outputs)) {
      for (int a = 0; a < actions; a++) {
        probabilities[a] = probabilityBuffer.get(a);
      }
      return probabilities;
    } catch (OrtException e) {
      throw new IllegalStateException(
          "policy v" + version + " failed to run: " + e.getMessage(), e);
    }
  }

  /**
   * Runs the model on {@code rows} observations and masks at once (row-major, {@code rows × D} and
   * {@code rows × A}) and writes the probabilities ({@code rows × A}) into {@code out}. For batch
   * scoring, not the decision path: it allocates its tensors per call. A model whose batch
   * dimension is fixed at 1 is run row by row.
   *
   * @throws IllegalStateException when ONNX Runtime fails
   */
  public void evaluateBatch(float[] observations, float[] masks, int rows, float[] out) {
    if (observations.length < rows * dimension
        || masks.length < rows * actions
        || out.length < rows * actions) {
      throw new IllegalArgumentException(
          rows
              + " rows need "
              + rows * dimension
              + " observation and "
              + rows * actions
              + " mask and output values");
    }
    if (!takesBatches) {
      for (int r = 0; r < rows; r++) {
        float[] p =
            evaluate(
                Arrays.copyOfRange(observations, r * dimension, (r + 1) * dimension),
                Arrays.copyOfRange(masks, r * actions, (r + 1) * actions));
        System.arraycopy(p, 0, out, r * actions, actions);
      }
      return;
    }
    OrtEnvironment env = OrtRuntime.environment();
    try (OnnxTensor observation =
            OnnxTensor.createTensor(
                env,
                FloatBuffer.wrap(observations, 0, rows * dimension),
                new long[] {rows, dimension});
        OnnxTensor mask =
            OnnxTensor.createTensor(
                env, FloatBuffer.wrap(masks, 0, rows * actions), new long[] {rows, actions});
        OrtSession.Result result =
            session.run(
                Map.of(
                    PolicyModelContract.OBSERVATION,
                    observation,
                    PolicyModelContract.MASK,
                    mask))) {
      OnnxTensor probabilities =
          (OnnxTensor) result.get(PolicyModelContract.PROBABILITIES).orElseThrow();
      probabilities.getFloatBuffer().get(out, 0, rows * actions);
    } catch (OrtException e) {
      throw new IllegalStateException(
          "policy v" + version + " failed to run a batch of " + rows + ": " + e.getMessage(), e);
    }
  }

  /** Observation features the model reads (D). */
  public int dimension() {
    return dimension;
  }

  /** Actions the model chooses among (A = variants + 1, shed last). */
  public int actionCount() {
    return actions;
  }

  @Override
  public String name() {
    return "onnx-v" + version;
  }

  @Override
  public long version() {
    return version;
  }

  public Mode mode() {
    return mode;
  }

  /** Hex SHA-256 of the model bytes. */
  public String sha256() {
    return sha256;
  }

  public String trainedOn() {
    return trainedOn;
  }

  @Override
  public void close() {
    observationTensor.close();
    maskTensor.close();
    probabilityTensor.close();
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close the policy session", e);
    }
  }

  // ---------------------------------------------------------------- validation

  private static OrtSession createSession(byte[] model) throws PolicyRejectedException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      // one request at a time per operator subtask: threads would only add hand-offs
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      return OrtRuntime.environment().createSession(model, options);
    } catch (OrtException e) {
      throw new PolicyRejectedException(
          LOAD_FAILED, "ONNX Runtime refused it: " + e.getMessage(), e);
    }
  }

  /** Zero, large and shed-only inputs: every output must be finite, non-negative, summing to 1. */
  private void runCanaries() throws PolicyRejectedException {
    float[] observation = new float[dimension];
    float[] all = new float[actions];
    Arrays.fill(all, 1f);
    float[] shedOnly = new float[actions];
    shedOnly[actions - 1] = 1f;
    checkCanary("zero observation", observation, all);
    Arrays.fill(observation, 100f);
    checkCanary("large observation", observation, all);
    checkCanary("shed-only mask", observation, shedOnly);
  }

  private void checkCanary(String what, float[] observation, float[] mask)
      throws PolicyRejectedException {
    float[] p;
    try {
      p = evaluate(observation, mask);
    } catch (IllegalStateException e) {
      throw new PolicyRejectedException(CANARY_FAILED, what + ": " + e.getMessage(), e);
    }
    double sum = 0;
    for (float x : p) {
      if (!Float.isFinite(x) || x < -1e-6f) {
        throw new PolicyRejectedException(
            CANARY_FAILED, what + ": output " + Arrays.toString(p) + " is not a distribution");
      }
      sum += x;
    }
    if (Math.abs(sum - 1) > 1e-3) {
      throw new PolicyRejectedException(
          CANARY_FAILED, what + ": probabilities sum to " + sum + ", not 1");
    }
  }

  private static FloatBuffer directFloats(int n) {
    return ByteBuffer.allocateDirect(n * Float.BYTES)
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  private static void closeQuietly(OnnxPolicy policy, OrtSession session) {
    try {
      if (policy != null) {
        policy.close();
      } else {
        session.close();
      }
    } catch (OrtException | IllegalStateException e) {
      // already failing with the rejection reason; nothing more to report
    }
  }
}
