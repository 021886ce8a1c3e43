package io.surge.sim.workload;

/** A workload spec that cannot be understood; the message says what is wrong and what is valid. */
public final class WorkloadSpecException extends IllegalArgumentException {

  public WorkloadSpecException(String spec, String problem) {
    super("bad workload spec '" + spec + "': " + problem + "\n" + WorkloadSpec.USAGE);
  }

  public WorkloadSpecException(String spec, String problem, Throwable cause) {
    super("bad workload spec '" + spec + "': " + problem + "\n" + WorkloadSpec.USAGE, cause);
  }
}
