/**
 * The catalog (services, variants, servers) and the latency profile: the data model every part
 * shares.
 */
package io.surge.state.catalog;
