/**
 * {@code surge demo}: everything embedded on one machine (a generated ladder on emulated edge
 * servers, a KRaft broker, the scheduling job on a MiniCluster), one run per policy under the same
 * load, with progress lines, a summary table and a report with plots.
 */
package io.surge.cli.demo;
