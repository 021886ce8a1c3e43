/** How a run is scored: the same figures for the simulator, the demo and the reports. */
package io.surge.state.metrics;
