package io.surge.sim.workload;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code key=value,...} part of a workload spec, with typed, checked getters. */
final class SpecParams {

  private final String spec;
  private final Map<String, String> values;

  private SpecParams(String spec, Map<String, String> values) {
    this.spec = spec;
    this.values = values;
  }

  /**
   * Parses {@code text} (may be empty) and refuses keys outside {@code allowed} and repeated keys.
   */
  static SpecParams parse(String spec, String text, List<String> allowed) {
    Map<String, String> values = new LinkedHashMap<>();
    if (!text.isBlank()) {
      for (String item : text.split(",", -1)) {
        int eq = item.indexOf('=');
        if (eq <= 0) {
          throw new WorkloadSpecException(spec, "expected key=value, got '" + item.trim() + "'");
        }
        String key = item.substring(0, eq).trim();
        String value = item.substring(eq + 1).trim();
        if (!allowed.contains(key)) {
          throw new WorkloadSpecException(
              spec,
              "unknown parameter '" + key + "' (allowed: " + String.join(", ", allowed) + ")");
        }
        if (values.put(key, value) != null) {
          throw new WorkloadSpecException(spec, "parameter '" + key + "' given twice");
        }
      }
    }
    return new SpecParams(spec, values);
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  String required(String key, String meaning) {
    String value = values.get(key);
    if (value == null || value.isEmpty()) {
      throw new WorkloadSpecException(spec, "missing " + key + "=" + meaning);
    }
    return value;
  }

  /** A required finite number that is positive (or, with {@code allowZero}, not negative). */
  double number(String key, String meaning, boolean allowZero) {
    return checkedNumber(key, required(key, meaning), allowZero);
  }

  /** An optional positive number, or {@code fallback} when absent. */
  double optionalPositive(String key, double fallback) {
    return has(key) ? checkedNumber(key, values.get(key), false) : fallback;
  }

  /** A {@code /}-separated list of numbers, e.g. {@code 5/50}. */
  double[] numberList(String key, String meaning, boolean allowZero) {
    String[] parts = required(key, meaning).split("/", -1);
    double[] out = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = checkedNumber(key, parts[i], allowZero);
    }
    return out;
  }

  private double checkedNumber(String key, String text, boolean allowZero) {
    double v;
    try {
      v = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new WorkloadSpecException(spec, key + " must be a number, got '" + text + "'");
    }
    if (!Double.isFinite(v) || v < 0 || (v == 0 && !allowZero)) {
      String bound = allowZero ? "zero or more" : "greater than zero";
      throw new WorkloadSpecException(spec, key + " must be " + bound + ", got '" + text + "'");
    }
    return v;
  }
}
