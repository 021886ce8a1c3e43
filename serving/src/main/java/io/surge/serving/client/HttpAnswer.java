package io.surge.serving.client;

import java.net.URI;
import java.util.Map;

/**
 * A whole HTTP answer as {@link KServeClient} reads it.
 *
 * @param uri what was called, for messages
 * @param headers the first value of each header, looked up in any case
 */
record HttpAnswer(URI uri, int status, Map<String, String> headers, byte[] body) {

  /** The first value of a header, or null. */
  String header(String name) {
    return headers.get(name);
  }
}
