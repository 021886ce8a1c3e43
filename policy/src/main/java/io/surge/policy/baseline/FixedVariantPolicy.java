package io.surge.policy.baseline;

import io.surge.policy.Decision;
import io.surge.policy.DecisionContext;
import io.surge.policy.Masks;
import io.surge.policy.SchedulingPolicy;
import io.surge.state.ServiceTopology;
import io.surge.state.catalog.Catalog;

/**
 * Baseline: always one named variant ({@code fixed:resnet50-like}), the static choice an operator
 * would make for a known load. Chosen in hindsight for a workload it is the bar an adaptive policy
 * must clear to show that adapting pays. When the variant has no healthy server it serves the
 * nearest allowed smaller variant, else the nearest larger one, and sheds only when none is
 * allowed.
 */
public final class FixedVariantPolicy implements SchedulingPolicy {

  public static final String PREFIX = "fixed:";

  private final int variant;
  private final String name;

  private FixedVariantPolicy(int variant, String name) {
    this.variant = variant;
    this.name = name;
  }

  /**
   * The policy a {@code fixed:VARIANT} name stands for.
   *
   * @throws IllegalArgumentException when the service has no such variant
   */
  public static FixedVariantPolicy of(String name, ServiceTopology topology) {
    String variantName = variantName(name);
    int v = topology.variantIndex(variantName);
    if (v < 0) {
      throw new IllegalArgumentException(
          "policy '"
              + name
              + "': service '"
              + topology.service()
              + "' has no variant '"
              + variantName
              + "'; its variants: "
              + String.join(", ", topology.actionNames()));
    }
    return new FixedVariantPolicy(v, name);
  }

  /**
   * Checks a policy name against every service of a catalog when it is a {@code fixed:VARIANT} (the
   * job serves it for each service); other names pass.
   *
   * @throws IllegalArgumentException when a service has no such variant
   */
  public static void check(String policy, Catalog catalog) {
    if (policy != null && matches(policy)) {
      for (Catalog.Service service : catalog.services()) {
        of(policy, ServiceTopology.of(catalog, service.name()));
      }
    }
  }

  /** Whether a policy name is of this form (the variant is checked against a catalog later). */
  public static boolean matches(String name) {
    return name.startsWith(PREFIX) && name.length() > PREFIX.length();
  }

  private static String variantName(String name) {
    if (!matches(name)) {
      throw new IllegalArgumentException(
          "a fixed-variant policy is named " + PREFIX + "VARIANT, got '" + name + "'");
    }
    return name.substring(PREFIX.length());
  }

  @Override
  public void decide(
      float[] observation, float[] mask, long requestSeed, DecisionContext context, Decision out) {
    int variants = mask.length - 1;
    int v = Masks.highestAllowedAtOrBelow(mask, variant);
    if (v < 0) {
      v = Masks.lowestAllowedAtOrAbove(mask, variant, variants);
    }
    out.set(v < 0 ? variants : v, 1.0);
  }

  @Override
  public String name() {
    return name;
  }
}
