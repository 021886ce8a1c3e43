package io.surge.sim.workload;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A parsed workload spec (DESIGN.md section 6), shared by the simulator, the load generator and the
 * demo. Parsing checks everything once (a trace file is read here); {@link #newProcess} then makes
 * any number of independent, seeded {@link ArrivalProcess}es from it.
 *
 * <ul>
 *   <li>{@code poisson:rate=R} — Poisson arrivals at R requests/s.
 *   <li>{@code mmpp:rates=R1/R2[/R3],dwell=D1/D2[/D3]} — see {@link MmppWorkload}.
 *   <li>{@code flash:base=R,peak=P,every=S,len=S} — see {@link FlashWorkload}.
 *   <li>{@code trace:FILE.csv[,rate=X][,speed=Y]} — see {@link TraceWorkload}.
 * </ul>
 */
public sealed interface WorkloadSpec
    permits PoissonWorkload, MmppWorkload, FlashWorkload, TraceWorkload {

  /** The accepted forms, appended to every parse error. */
  String USAGE =
      "workload specs: poisson:rate=R | mmpp:rates=R1/R2[/R3],dwell=D1/D2[/D3]"
          + " | flash:base=R,peak=P,every=S,len=S | trace:FILE.csv[,rate=X][,speed=Y]"
          + " (rates in requests/s, times in seconds)";

  /** A fresh arrival process; equal seeds give equal arrival sequences. */
  ArrivalProcess newProcess(long seed);

  /** Long-run mean arrival rate in requests/s. */
  double meanRate();

  /** The spec in canonical text form; {@code parse(toSpec())} gives an equal workload. */
  String toSpec();

  /** Parses a spec; trace files are resolved against the working directory. */
  static WorkloadSpec parse(String spec) {
    return parse(spec, Path.of(""));
  }

  /**
   * Parses a spec; a relative trace file is resolved against {@code baseDir}.
   *
   * @throws WorkloadSpecException saying what is wrong and what the valid forms are
   */
  static WorkloadSpec parse(String spec, Path baseDir) {
    if (spec == null || spec.isBlank()) {
      throw new WorkloadSpecException(String.valueOf(spec), "empty spec");
    }
    String trimmed = spec.trim();
    int colon = trimmed.indexOf(':');
    if (colon < 0) {
      throw new WorkloadSpecException(spec, "expected KIND:PARAMETERS");
    }
    String kind = trimmed.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String rest = trimmed.substring(colon + 1);
    return switch (kind) {
      case "poisson" -> PoissonWorkload.parse(spec, rest);
      case "mmpp" -> MmppWorkload.parse(spec, rest);
      case "flash" -> FlashWorkload.parse(spec, rest);
      case "trace" -> TraceWorkload.parse(spec, rest, baseDir);
      default -> throw new WorkloadSpecException(spec, "unknown workload kind '" + kind + "'");
    };
  }
}
