/**
 * The profiler behind {@code surge profile}: {@link io.surge.serving.profile.Profiler} measures
 * each model's latency per batch size on a running inference server over KServe v2 HTTP and returns
 * a {@link io.surge.state.catalog.LatencyProfile}; {@link io.surge.serving.profile.LadderRatios}
 * checks a profiled ladder against its reference ratios.
 */
package io.surge.serving.profile;
