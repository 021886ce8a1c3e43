package io.surge.cli.chaos;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The reliability scenarios of issue 12, by their command-line names. */
public enum Scenario {
  TASK_MANAGER_KILLS("task-manager-kills", "TaskManager SIGKILLed repeatedly under load"),
  HOSTILE_INPUT("hostile-input", "malformed records of every kind mixed into valid requests"),
  SERVER_FAULTS("server-faults", "inference servers down, slow and answering 5xx"),
  BAD_POLICIES("bad-policies", "bad policy updates around one good one while requests flow"),
  SOAK("soak", "--minutes (default 30) at ~70 % of capacity: heap, state size, pending decisions"),
  SAVEPOINT_UPGRADE("savepoint-upgrade", "stop-with-savepoint and a changed job under load"),
  SCHEMA_EVOLUTION("schema-evolution", "newer and older InferenceRequest writers"),
  SECURED_KAFKA("secured-kafka", "SASL_SSL (SCRAM) broker; no secret in any log line");

  private final String cliName;
  private final String summary;

  Scenario(String cliName, String summary) {
    this.cliName = cliName;
    this.summary = summary;
  }

  public String cliName() {
    return cliName;
  }

  public String summary() {
    return summary;
  }

  /** The scenario of a command-line name. */
  public static Scenario of(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (Scenario s : values()) {
      if (s.cliName.equals(n)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown scenario '" + name + "'; one of: all, " + names() + "");
  }

  /** Every name, comma-separated. */
  public static String names() {
    return Arrays.stream(values()).map(Scenario::cliName).collect(Collectors.joining(", "));
  }
}
