package io.surge.sim.workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code trace:FILE.csv[,rate=X][,speed=Y]}: replays a real arrival trace (see {@link TraceReader}
 * for the CSV columns).
 *
 * <ul>
 *   <li>{@code rate=X} (default 1) multiplies the arrival rate and keeps the trace's time scale:
 *       ⌈X⌉ copies of the trace are superposed, the first as recorded and the others shifted by
 *       independent uniform offsets (wrapping around the trace's period), then each arrival is kept
 *       with probability X/⌈X⌉. Bursts keep their length; the mean rate becomes X times the
 *       trace's.
 *   <li>{@code speed=Y} (default 1) divides every time by Y: the same arrivals in 1/Y of the time.
 *       Off by default because it shortens bursts below the estimators' time scales.
 * </ul>
 *
 * <p>The process ends (returns {@link Double#POSITIVE_INFINITY}) after the last arrival. Hidden
 * state: the true number of arrivals in the second after the last one returned.
 *
 * @param arrivals the trace's arrival times in seconds, sorted, the first at 0
 */
public record TraceWorkload(Path file, double[] arrivals, double rate, double speed)
    implements WorkloadSpec {

  public TraceWorkload {
    arrivals = arrivals.clone();
    if (arrivals.length < 2 || !(rate > 0) || !(speed > 0)) {
      throw new IllegalArgumentException("a trace needs two arrivals, rate > 0 and speed > 0");
    }
  }

  static TraceWorkload parse(String spec, String params, Path baseDir) {
    int comma = params.indexOf(',');
    String fileName = (comma < 0 ? params : params.substring(0, comma)).trim();
    String options = comma < 0 ? "" : params.substring(comma + 1);
    if (fileName.isEmpty()) {
      throw new WorkloadSpecException(spec, "missing the trace file after 'trace:'");
    }
    SpecParams p = SpecParams.parse(spec, options, List.of("rate", "speed"));
    double rate = p.optionalPositive("rate", 1.0);
    double speed = p.optionalPositive("speed", 1.0);
    Path file = baseDir.resolve(fileName);
    if (!Files.isRegularFile(file)) {
      throw new WorkloadSpecException(spec, "trace file " + file.toAbsolutePath() + " not found");
    }
    try {
      return new TraceWorkload(Path.of(fileName), TraceReader.read(file), rate, speed);
    } catch (IOException e) {
      throw new WorkloadSpecException(spec, "cannot read trace file " + file + ": " + e, e);
    } catch (TraceReader.TraceFormatException e) {
      throw new WorkloadSpecException(spec, e.getMessage(), e);
    }
  }

  @Override
  public double[] arrivals() {
    return arrivals.clone();
  }

  /** Number of arrivals in the recorded trace. */
  public int traceLength() {
    return arrivals.length;
  }

  /**
   * The recorded trace's period: its span plus one mean gap, so that copies wrapped around it do
   * not put the last and first arrivals on the same instant.
   */
  public double tracePeriod() {
    double span = arrivals[arrivals.length - 1];
    return span + span / (arrivals.length - 1);
  }

  /** Length of a replay in seconds (the period compressed by speed). */
  public double duration() {
    return tracePeriod() / speed;
  }

  @Override
  public ArrivalProcess newProcess(long seed) {
    return new TraceProcess(replay(new SplittableRandom(seed)), meanRate());
  }

  @Override
  public double meanRate() {
    return arrivals.length * rate / duration();
  }

  @Override
  public String toSpec() {
    StringBuilder sb = new StringBuilder("trace:").append(file);
    if (rate != 1.0) {
      sb.append(",rate=").append(Numbers.format(rate));
    }
    if (speed != 1.0) {
      sb.append(",speed=").append(Numbers.format(speed));
    }
    return sb.toString();
  }

  /** The replayed arrival times: superposed copies, thinned, compressed, sorted. */
  private double[] replay(SplittableRandom rng) {
    int copies = (int) Math.ceil(rate);
    double keep = rate / copies;
    double period = tracePeriod();
    double[] out = new double[(int) Math.ceil(arrivals.length * rate * 1.05) + 16];
    int n = 0;
    for (int c = 0; c < copies; c++) {
      double offset = c == 0 ? 0 : rng.nextDouble() * period;
      for (double t : arrivals) {
        if (keep < 1 && rng.nextDouble() >= keep) {
          continue;
        }
        double shifted = t + offset;
        if (shifted >= period) {
          shifted -= period;
        }
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = shifted / speed;
      }
    }
    out = Arrays.copyOf(out, n);
    Arrays.sort(out);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceWorkload t
        && file.equals(t.file)
        && rate == t.rate
        && speed == t.speed
        && Arrays.equals(arrivals, t.arrivals);
  }

  @Override
  public int hashCode() {
    return file.hashCode() * 31 + Double.hashCode(rate) * 7 + Double.hashCode(speed);
  }

  @Override
  public String toString() {
    return toSpec() + " (" + arrivals.length + " arrivals)";
  }

  /** Walks a materialised replay; counts the next second's arrivals with a second cursor. */
  private static final class TraceProcess implements ArrivalProcess {
    private final double[] times;
    private final double meanRate;
    private int next;
    private int horizon;
    private double last;

    TraceProcess(double[] times, double meanRate) {
      this.times = times;
      this.meanRate = meanRate;
    }

    @Override
    public double nextArrival() {
      if (next >= times.length) {
        return Double.POSITIVE_INFINITY;
      }
      last = times[next++];
      return last;
    }

    @Override
    public int hiddenState() {
      horizon = Math.max(horizon, next);
      while (horizon < times.length && times[horizon] <= last + 1.0) {
        horizon++;
      }
      return horizon - next;
    }

    @Override
    public double hiddenRate() {
      return hiddenState();
    }

    @Override
    public double meanRate() {
      return meanRate;
    }
  }
}
