package io.surge.serving.client;

import java.time.Duration;
import java.util.Map;

/**
 * One HTTP request of {@link KServeClient}, before a transport sends it.
 *
 * @param method GET or POST
 * @param path the path after the base URI, percent-encoded
 * @param headers request headers (no Host, Content-Length or Connection: the transport sets them)
 * @param body the POST body, null for a GET
 * @param timeout bounds the whole exchange, connecting included
 */
record HttpCall(
    String method, String path, Map<String, String> headers, byte[] body, Duration timeout) {}
