package io.surge.sim.disturb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A parsed disturbance spec (DESIGN.md section 6): disturbances joined with {@code ;}.
 *
 * <ul>
 *   <li>{@code slowdown:server=S,factor=F,at=T,for=D[,every=P]} — executions take F times longer;
 *   <li>{@code outage:server=S,at=T,for=D[,every=P]} — the server is down;
 *   <li>{@code errors:server=S,at=T,for=D[,every=P]} — the server answers 5xx.
 * </ul>
 *
 * S is a server index (0.. in catalog order) or a server name; times are seconds from the start of
 * the run. The empty spec (or {@code none}) means no disturbance.
 */
public record DisturbanceSpec(List<Disturbance> disturbances) {

  /** The accepted forms, appended to every parse error. */
  public static final String USAGE =
      "disturbance specs: slowdown:server=S,factor=F,at=T[,for=D[,every=P]]"
          + " | outage:server=S,at=T[,for=D[,every=P]] | errors:server=S,at=T[,for=D[,every=P]]"
          + " (several joined with ';'; S a server index 0.. or name; times in seconds; without"
          + " for= it lasts for good)";

  public static final DisturbanceSpec NONE = new DisturbanceSpec(List.of());

  public DisturbanceSpec {
    disturbances = List.copyOf(disturbances);
  }

  public boolean isEmpty() {
    return disturbances.isEmpty();
  }

  /**
   * @throws DisturbanceSpecException saying what is wrong and what the valid forms are
   */
  public static DisturbanceSpec parse(String spec) {
    if (spec == null || spec.isBlank() || spec.trim().equalsIgnoreCase("none")) {
      return NONE;
    }
    List<Disturbance> out = new ArrayList<>();
    for (String part : spec.split(";", -1)) {
      if (part.isBlank()) {
        throw new DisturbanceSpecException(spec, "empty disturbance between ';'");
      }
      out.add(parseOne(spec, part.trim()));
    }
    return new DisturbanceSpec(out);
  }

  private static Disturbance parseOne(String spec, String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new DisturbanceSpecException(spec, "expected KIND:PARAMETERS, got '" + text + "'");
    }
    String keyword = text.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    Disturbance.Kind kind = kindOf(spec, keyword);
    List<String> allowed =
        kind == Disturbance.Kind.SLOWDOWN
            ? List.of("server", "factor", "at", "for", "every")
            : List.of("server", "at", "for", "every");
    Map<String, String> p = params(spec, keyword, text.substring(colon + 1), allowed);
    String server = required(spec, p, "server", "S (server index or name)");
    double factor =
        kind == Disturbance.Kind.SLOWDOWN
            ? number(spec, "factor", required(spec, p, "factor", "F (slow-down factor)"))
            : 1;
    double at = number(spec, "at", required(spec, p, "at", "T (start, seconds)"));
    // without for= a disturbance lasts for good (a drift, e.g. surge demo --drift)
    double duration =
        p.containsKey("for") ? number(spec, "for", p.get("for")) : Double.POSITIVE_INFINITY;
    double every = p.containsKey("every") ? number(spec, "every", p.get("every")) : 0;
    if (kind == Disturbance.Kind.SLOWDOWN && !(factor > 0)) {
      throw new DisturbanceSpecException(spec, "factor must be greater than zero");
    }
    if (!(duration > 0)) {
      throw new DisturbanceSpecException(spec, "for must be greater than zero");
    }
    if (p.containsKey("every") && !(every >= duration)) {
      throw new DisturbanceSpecException(spec, "every must be at least for (windows overlap)");
    }
    return new Disturbance(kind, server, factor, at, duration, every);
  }

  private static Disturbance.Kind kindOf(String spec, String keyword) {
    for (Disturbance.Kind k : Disturbance.Kind.values()) {
      if (k.keyword().equals(keyword)) {
        return k;
      }
    }
    throw new DisturbanceSpecException(spec, "unknown disturbance kind '" + keyword + "'");
  }

  private static Map<String, String> params(
      String spec, String kind, String text, List<String> allowed) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String item : text.split(",", -1)) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new DisturbanceSpecException(spec, "expected key=value, got '" + item.trim() + "'");
      }
      String key = item.substring(0, eq).trim();
      if (!allowed.contains(key)) {
        throw new DisturbanceSpecException(
            spec, "unknown parameter '" + key + "' for " + kind + " (allowed: " + allowed + ")");
      }
      if (values.put(key, item.substring(eq + 1).trim()) != null) {
        throw new DisturbanceSpecException(spec, "parameter '" + key + "' given twice");
      }
    }
    return values;
  }

  private static String required(String spec, Map<String, String> p, String key, String meaning) {
    String v = p.get(key);
    if (v == null || v.isEmpty()) {
      throw new DisturbanceSpecException(spec, "missing " + key + "=" + meaning);
    }
    return v;
  }

  private static double number(String spec, String key, String text) {
    double v;
    try {
      v = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new DisturbanceSpecException(spec, key + " must be a number, got '" + text + "'");
    }
    if (!Double.isFinite(v) || v < 0) {
      throw new DisturbanceSpecException(spec, key + " must be zero or more, got '" + text + "'");
    }
    return v;
  }

  /** The canonical text; {@code parse(toSpec())} equals this spec. */
  public String toSpec() {
    return disturbances.isEmpty()
        ? "none"
        : disturbances.stream().map(Disturbance::toSpec).collect(Collectors.joining(";"));
  }

  @Override
  public String toString() {
    return toSpec();
  }
}
