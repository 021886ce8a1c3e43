/**
 * The embedded world of the demo and the end-to-end tests: edge servers on a generated ladder and a
 * read_committed view of the results.
 */
package io.surge.cli.demo;
