package io.surge.cli.train;

import io.surge.train.TrainingProgress;
import java.util.Locale;
import java.util.function.Consumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Environment steps as a progress bar on stderr, with the last update's mean reward per decision
 * and effective accuracy beside it.
 */
public final class TrainingProgressBar implements Consumer<TrainingProgress>, AutoCloseable {

  private final ProgressBar bar;
  private long finishedRuns; // steps of the runs before this one (surge train --candidates)
  private long lastSteps;

  public TrainingProgressBar(long stepBudget) {
    bar =
        new ProgressBarBuilder()
            .setTaskName("train")
            .setInitialMax(stepBudget)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" steps", 1)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .build();
  }

  @Override
  public void accept(TrainingProgress progress) {
    long steps = progress.update().environmentSteps();
    if (steps < lastSteps) { // the next candidate's training started
      finishedRuns += lastSteps;
    }
    lastSteps = steps;
    bar.maxHint(Math.max(bar.getMax(), finishedRuns + steps));
    bar.stepTo(finishedRuns + steps);
    bar.setExtraMessage(
        String.format(
            Locale.ROOT,
            " reward/decision %.2f, effective accuracy %.1f%%",
            progress.update().meanRewardPerDecision(),
            progress.effectiveAccuracy() * 100));
  }

  @Override
  public void close() {
    bar.close();
  }
}
