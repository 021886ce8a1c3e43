/**
 * Disturbances of inference servers (DESIGN.md section 6): the one grammar of slow-downs, outages
 * and 5xx error windows, parsed by {@link io.surge.sim.disturb.DisturbanceSpec#parse}, used by the
 * simulator and (later) the emulated servers and the chaos scenarios; and random disturbance
 * episodes for training ({@link io.surge.sim.disturb.RandomDisturbances}). Pure Java.
 */
package io.surge.sim.disturb;
