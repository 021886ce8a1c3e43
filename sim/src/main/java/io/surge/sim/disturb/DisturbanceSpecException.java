package io.surge.sim.disturb;

/** A disturbance spec that cannot be understood; the message lists the valid forms. */
public final class DisturbanceSpecException extends IllegalArgumentException {

  public DisturbanceSpecException(String spec, String problem) {
    super("bad disturbance spec '" + spec + "': " + problem + "\n" + DisturbanceSpec.USAGE);
  }
}
