package io.surge.sim.disturb;

import java.util.List;
import java.util.Locale;

/**
 * One disturbance of one server: from {@code at} seconds for {@code duration} seconds, and again
 * every {@code every} seconds after {@code at} when {@code every > 0}.
 *
 * @param server a server index in catalog order ("0", "1", ...) or a server name
 * @param factor the slow-down factor (only for {@link Kind#SLOWDOWN}; 1 otherwise)
 */
public record Disturbance(
    Kind kind, String server, double factor, double at, double duration, double every) {

  /** What happens to the server while the disturbance is active. */
  public enum Kind {
    /** Every execution takes {@code factor} times longer. */
    SLOWDOWN,
    /** The server is down: calls to it fail, calls in flight on it fail. */
    OUTAGE,
    /** The server answers every call at once with a 5xx error. */
    ERRORS;

    public String keyword() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Disturbance {
    if (server == null || server.isBlank()) {
      throw new IllegalArgumentException("a disturbance needs a server");
    }
    if (kind == Kind.SLOWDOWN ? !(factor > 0) || !Double.isFinite(factor) : factor != 1) {
      throw new IllegalArgumentException("slow-down factor must be a positive number: " + factor);
    }
    // an infinite duration is a drift: it lasts for good (and cannot repeat)
    boolean forGood = duration == Double.POSITIVE_INFINITY && every == 0;
    if (!(at >= 0)
        || !(duration > 0)
        || !(every >= 0)
        || !(forGood || Double.isFinite(at + duration + every))
        || !Double.isFinite(at)) {
      throw new IllegalArgumentException("at >= 0, for > 0 and every >= 0 seconds are needed");
    }
    if (every > 0 && duration > every) {
      throw new IllegalArgumentException(
          "for (" + duration + " s) exceeds every (" + every + " s)");
    }
  }

  public boolean repeats() {
    return every > 0;
  }

  /** Whether it is active at {@code seconds} from the start of the run. */
  public boolean activeAt(double seconds) {
    if (seconds < at) {
      return false;
    }
    double sinceStart = repeats() ? (seconds - at) % every : seconds - at;
    return sinceStart < duration;
  }

  /**
   * The server's index: a number is an index in catalog order, anything else a name among {@code
   * serverNames}.
   *
   * @throws IllegalArgumentException when there is no such server
   */
  public int serverIndex(List<String> serverNames) {
    int index = serverNames.indexOf(server);
    if (index < 0 && server.chars().allMatch(Character::isDigit)) {
      index = Integer.parseInt(server);
      if (index >= serverNames.size()) {
        index = -1;
      }
    }
    if (index < 0) {
      throw new IllegalArgumentException(
          "disturbance of server '" + server + "': the catalog's servers are " + serverNames);
    }
    return index;
  }

  /** The canonical text of this disturbance, in the grammar {@link DisturbanceSpec#parse} reads. */
  public String toSpec() {
    StringBuilder sb = new StringBuilder(kind.keyword()).append(":server=").append(server);
    if (kind == Kind.SLOWDOWN) {
      sb.append(",factor=").append(format(factor));
    }
    sb.append(",at=").append(format(at));
    if (duration != Double.POSITIVE_INFINITY) {
      sb.append(",for=").append(format(duration));
    }
    if (repeats()) {
      sb.append(",every=").append(format(every));
    }
    return sb.toString();
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
