package io.surge.cli;

import io.surge.serving.profile.ProgressListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar on stderr (stdout stays for results). */
final class ProgressBarListener implements ProgressListener, AutoCloseable {

  private final String task;
  private ProgressBar bar;

  ProgressBarListener(String task) {
    this.task = task;
  }

  @Override
  public void start(long totalSteps) {
    bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(totalSteps)
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .build();
  }

  @Override
  public void step() {
    bar.step();
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
