package io.surge.cli.train;

import io.surge.train.TrainingProgress;
import io.surge.train.ppo.UpdateReport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One CSV line per PPO update ({@code OUT/updates.csv}): the figures that tell a healthy run from a
 * collapsing one (entropy falling to 0, a value loss that does not come down, KL and clip fraction
 * far from PPO's usual 0.01 and 0.1-0.2). With {@code --candidates} the runs follow each other and
 * {@code run} counts them.
 */
public final class TrainingLog implements Consumer<TrainingProgress>, AutoCloseable {

  static final String HEADER =
      "run,update,steps,reward_per_decision,effective_accuracy,entropy,policy_loss,value_loss,"
          + "approx_kl,clip_fraction,seconds";

  private final BufferedWriter out;
  private int run;
  private long lastSteps;

  public TrainingLog(Path file) throws IOException {
    out = Files.newBufferedWriter(file);
    out.write(HEADER);
    out.newLine();
  }

  @Override
  public void accept(TrainingProgress progress) {
    UpdateReport u = progress.update();
    if (u.environmentSteps() < lastSteps) {
      run++;
    }
    lastSteps = u.environmentSteps();
    try {
      out.write(
          String.format(
              Locale.ROOT,
              "%d,%d,%d,%.6f,%.6f,%.6f,%.6g,%.6g,%.6g,%.6f,%.3f",
              run,
              u.updates(),
              u.environmentSteps(),
              u.meanRewardPerDecision(),
              progress.effectiveAccuracy(),
              u.entropy(),
              u.policyLoss(),
              u.valueLoss(),
              u.approximateKl(),
              u.clipFraction(),
              u.elapsedSeconds()));
      out.newLine();
      out.flush(); // one line every few seconds: follow it with tail -f while training runs
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
