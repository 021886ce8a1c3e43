/**
 * {@code surge chaos}: the reliability scenarios of issue 12. Each runs the real scheduling job on
 * real parts (an in-process KRaft broker, embedded inference servers, a Flink MiniCluster), does
 * something hostile to it, counts every record that went in and came out ({@code read_committed})
 * and says PASS or FAIL with its figures.
 */
package io.surge.cli.chaos;
