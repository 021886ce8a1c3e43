package io.surge.train.eval;

import java.util.List;

/**
 * The outcome of {@link PolicyEvaluation#run}.
 *
 * @param policies one per token, in the plan's order
 * @param bestBaseline the token of the baseline with the highest mean effective accuracy (ties: the
 *     first named); null when no baseline was evaluated
 * @param variants the service's variants in action order
 * @param elapsedSeconds wall time of the evaluation
 */
public record EvaluationResult(
    EvaluationPlan plan,
    List<PolicyResult> policies,
    String bestBaseline,
    List<String> variants,
    double elapsedSeconds) {

  public EvaluationResult {
    policies = List.copyOf(policies);
    variants = List.copyOf(variants);
  }
}
