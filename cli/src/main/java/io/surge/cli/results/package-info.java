/**
 * Reading what the job wrote, as an analyst would: {@link io.surge.cli.results.ResultsReader} is
 * the one read_committed consumer of the results (and dead-letter) topics with its poll loop and
 * waits; {@link io.surge.cli.results.ResultsCollector} keeps the tallies the job benchmark and the
 * end-to-end tests check. The demo and the benchmark's commit timing keep their own tallies on the
 * same reader.
 */
package io.surge.cli.results;
