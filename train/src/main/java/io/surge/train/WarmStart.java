package io.surge.train;

import io.surge.policy.SchedulingPolicy;
import io.surge.train.export.PolicyModelReader;
import io.surge.train.ppo.LoggedTransitions;
import java.util.function.Supplier;

/**
 * Where a training run starts instead of a uniform policy: an exported policy's actor and its
 * observation normalisation, kept for good, and a fresh critic trained alone for {@code
 * criticSteps} first (its advantages would be noise, and PPO steps on noise undo what the actor
 * knows). With an asymmetric critic (the plan's critic-only features) the actor's normalisation
 * stays as it is and the critic-only features are normalised from the run's data.
 *
 * @param actor the policy to continue from; its observation spec must be the plan's (the actor's
 *     part of it)
 * @param criticSteps environment steps that train only the critic before the actor moves
 * @param burnInSeconds each episode first lets {@code burnInPolicy} decide for up to this long
 *     (drawn per episode, no credit), so that training sees a loaded site and not only the
 *     transient after an empty start (DESIGN.md section 10); 0: none
 * @param burnInPolicy makes one burn-in policy per environment (they are not thread-safe); closed
 *     when the run ends; null when there is no burn-in
 * @param logged PPO passes on logged decisions between the critic-only steps and the simulator's
 *     PPO steps ({@link io.surge.train.ppo.PpoTrainer#trainOnLogged}); null: none
 */
public record WarmStart(
    PolicyModelReader.Actor actor,
    long criticSteps,
    double burnInSeconds,
    Supplier<? extends SchedulingPolicy> burnInPolicy,
    LoggedSteps logged) {

  /**
   * PPO on logged decisions: the critic fitted alone for {@code criticEpochs} passes, then {@code
   * epochs} passes of the clipped-ratio objective.
   */
  public record LoggedSteps(LoggedTransitions transitions, int criticEpochs, int epochs) {
    public LoggedSteps {
      if (criticEpochs < 0 || epochs < 0) {
        throw new IllegalArgumentException("epochs must be >= 0");
      }
    }
  }

  public WarmStart {
    if (criticSteps < 0) {
      throw new IllegalArgumentException("critic steps must be >= 0: " + criticSteps);
    }
    if (!(burnInSeconds >= 0) || (burnInSeconds > 0 && burnInPolicy == null)) {
      throw new IllegalArgumentException("a burn-in of " + burnInSeconds + " s needs a policy");
    }
  }

  public WarmStart(PolicyModelReader.Actor actor, long criticSteps) {
    this(actor, criticSteps, 0, null, null);
  }

  public WarmStart withBurnIn(double seconds, Supplier<? extends SchedulingPolicy> policy) {
    return new WarmStart(actor, criticSteps, seconds, policy, logged);
  }

  public WarmStart withLogged(LoggedSteps steps) {
    return new WarmStart(actor, criticSteps, burnInSeconds, burnInPolicy, steps);
  }
}
