package io.surge.policy.onnx;

/** A policy model that must not be served, with the typed reason the validator logs and counts. */
public final class PolicyRejectedException extends Exception {

  /** Why a policy was refused. */
  public enum Reason {
    TOO_LARGE,
    CHECKSUM_MISMATCH,
    UNPARSEABLE,
    EXTERNAL_DATA,
    CUSTOM_OPERATOR,
    MISSING_METADATA,
    BAD_VERSION,
    SPEC_MISMATCH,
    ACTION_MISMATCH,
    WRONG_SIGNATURE,
    LOAD_FAILED,
    CANARY_FAILED,
    FETCH_FAILED
  }

  private final Reason reason;

  public PolicyRejectedException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  public PolicyRejectedException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
