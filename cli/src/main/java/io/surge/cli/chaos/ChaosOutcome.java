package io.surge.cli.chaos;

/** What a scenario concluded: whether every promise held, and its figures on one line. */
public record ChaosOutcome(String scenario, boolean passed, String figures) {

  /** The scenario's last line: {@code PASS <scenario>: <figures>} or {@code FAIL …}. */
  public String line() {
    return (passed ? "PASS " : "FAIL ") + scenario + ": " + figures;
  }
}
