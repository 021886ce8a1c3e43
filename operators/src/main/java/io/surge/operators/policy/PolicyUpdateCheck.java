package io.surge.operators.policy;

import io.surge.policy.onnx.OnnxPolicy;
import io.surge.policy.onnx.PolicyFile;
import io.surge.policy.onnx.PolicyModelFetcher;
import io.surge.policy.onnx.PolicyRejectedException;
import io.surge.schema.PolicyUpdate;
import io.surge.schema.wire.AvroWire;
import io.surge.state.EstimatorSettings;
import io.surge.state.ObservationSpec;
import io.surge.state.ServiceTopology;
import io.surge.state.catalog.Catalog;
import java.io.Serializable;
import java.util.List;

/**
 * The checks of a policy update against a job's catalog and options, without Flink: the job's
 * validator ({@link PolicyValidationFunction}) runs them before the broadcast, and {@code surge
 * publish} runs the very same before it sends anything, so both refuse the same updates with the
 * same messages.
 */
public final class PolicyUpdateCheck implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Target of an update for every service (the broadcast-state key of such a policy). */
  public static final String ALL_SERVICES = "*";

  private final Catalog catalog;
  private final int historyLength;
  private final long maxBytes;

  public PolicyUpdateCheck(Catalog catalog, int historyLength, long maxBytes) {
    this.catalog = catalog;
    this.historyLength = historyLength;
    this.maxBytes = maxBytes;
  }

  /**
   * Why an update must not be applied, or null when it may.
   *
   * @param newestOfTarget the newest version accepted for the update's target, or null
   */
  public String problemWith(PolicyUpdate update, Long newestOfTarget) {
    if (update.getVersion() <= 0) {
      return "version must be positive, got " + update.getVersion();
    }
    if (newestOfTarget != null && update.getVersion() <= newestOfTarget) {
      return "version " + update.getVersion() + " is not newer than the current " + newestOfTarget;
    }
    byte[] model;
    try {
      model = modelBytes(update, maxBytes);
      PolicyFile.of(model, maxBytes, update.getSha256());
    } catch (PolicyRejectedException e) {
      return e.getMessage();
    }
    List<Catalog.Service> services =
        update.getService() == null
            ? catalog.services()
            : catalog.service(update.getService()) == null
                ? List.of()
                : List.of(catalog.service(update.getService()));
    if (services.isEmpty()) {
      return "unknown service '" + update.getService() + "'";
    }
    for (Catalog.Service service : services) {
      String problem = loadProblem(model, update.getVersion(), service);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  /**
   * The model an update carries, or the one its {@code model_uri} refers to (fetched, up to the
   * size cap; the caller checks its SHA-256). An update may not have both.
   */
  public static byte[] modelBytes(PolicyUpdate update, long maxBytes)
      throws PolicyRejectedException {
    byte[] inline = update.getModel() == null ? new byte[0] : AvroWire.toBytes(update.getModel());
    if (update.getModelUri() == null) {
      return inline;
    }
    if (inline.length > 0) {
      throw new PolicyRejectedException(
          PolicyRejectedException.Reason.UNPARSEABLE,
          "the update carries model bytes and a model_uri; it must have one");
    }
    return PolicyModelFetcher.fetch(update.getModelUri(), maxBytes);
  }

  /** The update's target: its service, or {@link #ALL_SERVICES}. */
  public static String target(PolicyUpdate update) {
    return update.getService() == null ? ALL_SERVICES : update.getService();
  }

  /**
   * Loads the model as the scheduler would (checks, canary) and closes it again. The update's
   * version must be the model's own: the broadcast orders updates by the one, while every decision
   * records the other.
   */
  private String loadProblem(byte[] model, long version, Catalog.Service service) {
    ServiceTopology topology = ServiceTopology.of(catalog, service.name());
    ObservationSpec spec =
        ObservationSpec.of(topology, EstimatorSettings.defaults().withHistoryLength(historyLength));
    try (OnnxPolicy policy =
        OnnxPolicy.load(
            model,
            spec,
            topology.actionNames(),
            OnnxPolicy.Options.defaults().withMaxBytes(maxBytes))) {
      return policy.version() == version
          ? null
          : "update version " + version + " but the model's surge.version is " + policy.version();
    } catch (PolicyRejectedException e) {
      return e.getMessage() + " (service " + service.name() + ")";
    }
  }
}
