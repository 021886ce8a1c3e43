package io.surge.cli.publish;

import io.surge.operators.policy.PolicyUpdateCheck;
import io.surge.schema.PolicyUpdate;

/**
 * One record of the {@code policies} topic and what the job made of it.
 *
 * @param update the decoded update, or null when the record is not a readable PolicyUpdate
 * @param rejection the reason of its dead letter, or null when the job has not rejected it
 */
public record PublishedPolicy(int partition, long offset, PolicyUpdate update, String rejection) {

  /** Accepted as far as the topics tell: readable and without a dead letter. */
  public boolean accepted() {
    return update != null && rejection == null;
  }

  public long version() {
    return update == null ? 0 : update.getVersion();
  }

  /** The update's target: its service or {@code *} for every service; "?" when unreadable. */
  public String target() {
    return update == null ? "?" : PolicyUpdateCheck.target(update);
  }
}
