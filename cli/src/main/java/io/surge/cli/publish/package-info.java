/**
 * {@code surge publish} and {@code surge policies}: puts policy versions on the {@code policies}
 * topic after the job's own checks (version stamped into the model, inline or by reference), rolls
 * back to the previous good one, and lists what the topic holds with what the job made of each
 * (accepted, or the reason of its dead letter).
 */
package io.surge.cli.publish;
