/**
 * Proximal policy optimisation (Schulman et al., 2017) for the scheduling policy: an actor-critic
 * pair of MLPs over normalised observations, a masked softmax over {variants..., shed}, GAE
 * advantages, the clipped surrogate objective with a value loss and an entropy bonus, Adam over
 * shuffled minibatches, and parallel environments whose results do not depend on thread timing.
 * Entry point: {@link io.surge.train.ppo.PpoTrainer}.
 */
package io.surge.train.ppo;
