package io.surge.train.online;

/**
 * One decision the job logged on the {@code experience} topic, as the learner keeps it (a
 * Flink-free, Avro-free view of a {@code Transition}).
 *
 * @param probability the behaviour probability of {@code action} under the deciding policy
 * @param reward the request's reward (accuracy in percent when on time, else 0)
 * @param decidedAtMillis when the scheduler decided: the learner's arrival times
 */
public record LoggedDecision(
    String requestId,
    String service,
    long policyVersion,
    String specHash,
    float[] observation,
    float[] mask,
    int action,
    double probability,
    double reward,
    long decidedAtMillis,
    long completedAtMillis) {}
