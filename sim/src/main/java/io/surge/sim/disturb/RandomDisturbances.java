package io.surge.sim.disturb;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Random disturbance episodes for training, so a policy learns to notice a slow server from its
 * latencies: with probability {@code probability}, one server (uniform) runs a uniform factor in
 * [{@code minFactor}, {@code maxFactor}] slower for a uniform [{@code minSeconds}, {@code
 * maxSeconds}], starting at a uniform time that keeps it inside the episode.
 */
public record RandomDisturbances(
    double probability, double minFactor, double maxFactor, double minSeconds, double maxSeconds) {

  public RandomDisturbances {
    if (!(probability >= 0 && probability <= 1)
        || !(minFactor > 0 && maxFactor >= minFactor)
        || !(minSeconds > 0 && maxSeconds >= minSeconds)) {
      throw new IllegalArgumentException(
          "need 0 <= probability <= 1, 0 < minFactor <= maxFactor, 0 < minSeconds <= maxSeconds");
    }
  }

  /** One server 1.5-4x slower for 5-60 s, in every episode. */
  public static RandomDisturbances defaults() {
    return new RandomDisturbances(1.0, 1.5, 4.0, 5, 60);
  }

  /** The disturbances of one episode, a pure function of the seed. */
  public DisturbanceSpec draw(long seed, int servers, double episodeSeconds) {
    SplittableRandom rng = new SplittableRandom(seed);
    if (servers < 1 || rng.nextDouble() >= probability) {
      return DisturbanceSpec.NONE;
    }
    int server = rng.nextInt(servers);
    double factor = round(minFactor + rng.nextDouble() * (maxFactor - minFactor));
    double duration =
        round(Math.min(minSeconds + rng.nextDouble() * (maxSeconds - minSeconds), episodeSeconds));
    double at = round(rng.nextDouble() * Math.max(0, episodeSeconds - duration));
    return new DisturbanceSpec(
        List.of(
            new Disturbance(
                Disturbance.Kind.SLOWDOWN,
                Integer.toString(server),
                factor,
                at,
                Math.max(duration, 0.001),
                0)));
  }

  /** Milliseconds precision, so the drawn spec's text is short and round-trips exactly. */
  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
