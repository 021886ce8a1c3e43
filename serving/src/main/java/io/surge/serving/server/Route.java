package io.surge.serving.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Which endpoint a request path names, with its model and version (null when absent). */
record Route(Kind kind, String model, String version) {

  enum Kind {
    SERVER_METADATA,
    LIVE,
    READY,
    MODEL_METADATA,
    MODEL_READY,
    INFER,
    ALL_STATS,
    MODEL_STATS,
    NOT_FOUND;

    String method() {
      return this == INFER ? "POST" : "GET";
    }
  }

  private static final Route NOT_FOUND = new Route(Kind.NOT_FOUND, null, null);

  /** Parses a raw (still percent-encoded) path; segments are decoded after splitting. */
  static Route parse(String rawPath) {
    List<String> s = segments(rawPath);
    if (s.isEmpty() || !s.get(0).equals("v2")) {
      return NOT_FOUND;
    }
    if (s.size() == 1) {
      return new Route(Kind.SERVER_METADATA, null, null);
    }
    if (s.size() == 3 && s.get(1).equals("health")) {
      return switch (s.get(2)) {
        case "live" -> new Route(Kind.LIVE, null, null);
        case "ready" -> new Route(Kind.READY, null, null);
        default -> NOT_FOUND;
      };
    }
    if (!s.get(1).equals("models") || s.size() < 3) {
      return NOT_FOUND;
    }
    if (s.size() == 3 && s.get(2).equals("stats")) {
      return new Route(Kind.ALL_STATS, null, null);
    }
    return modelRoute(s.subList(2, s.size()));
  }

  private static Route modelRoute(List<String> rest) {
    String model = rest.get(0);
    String version = null;
    int next = 1;
    if (rest.size() >= 3 && rest.get(1).equals("versions")) {
      version = rest.get(2);
      next = 3;
    }
    List<String> tail = rest.subList(next, rest.size());
    if (tail.isEmpty()) {
      return new Route(Kind.MODEL_METADATA, model, version);
    }
    if (tail.size() > 1) {
      return NOT_FOUND;
    }
    return switch (tail.get(0)) {
      case "ready" -> new Route(Kind.MODEL_READY, model, version);
      case "infer" -> new Route(Kind.INFER, model, version);
      case "stats" -> new Route(Kind.MODEL_STATS, model, version);
      default -> NOT_FOUND;
    };
  }

  private static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String raw : rawPath.split("/")) {
      if (!raw.isEmpty()) {
        out.add(decode(raw));
      }
    }
    return out;
  }

  /** Percent-decoding of a path segment, where '+' is a literal plus, not a space. */
  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return raw;
    }
  }
}
