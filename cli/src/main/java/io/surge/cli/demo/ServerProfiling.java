package io.surge.cli.demo;

import io.surge.serving.client.InferenceClient;
import io.surge.serving.client.InferenceClients;
import io.surge.serving.profile.Profiler;
import io.surge.serving.profile.ProgressListener;
import io.surge.state.catalog.Catalog;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Profiles the demo's servers over the protocol, as {@code surge profile} does. The servers are
 * identical (same ladder, same executor settings), so only the first is measured: the profile's
 * lookup falls back to it for the others, and the time of the step stays short.
 */
final class ServerProfiling {

  static final List<Integer> BATCHES = List.of(1, 2, 4, 8, 16);
  private static final int WARMUP_ROUNDS = 2;

  private ServerProfiling() {}

  static Profiler.Result profile(Catalog catalog, int runs) {
    Catalog.Server first = catalog.servers().get(0);
    InferenceClient client =
        InferenceClients.builder(URI.create(first.url()))
            .requestTimeout(Duration.ofSeconds(30))
            .build();
    Profiler.Settings settings =
        new Profiler.Settings(BATCHES, WARMUP_ROUNDS, runs, Duration.ofSeconds(30));
    return new Profiler(client, settings)
        .measure(first.name(), first.models(), ProgressListener.NONE);
  }
}
