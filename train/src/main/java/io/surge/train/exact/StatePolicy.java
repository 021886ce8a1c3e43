package io.surge.train.exact;

/** A (possibly stochastic) policy of {@link SingleServerMdp}: action probabilities per state. */
@FunctionalInterface
public interface StatePolicy {

  /** Writes the probabilities of the three actions (masked ones 0) into {@code out}. */
  void probabilities(int phase, int backlog, double[] out);
}
