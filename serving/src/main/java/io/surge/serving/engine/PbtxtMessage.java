package io.surge.serving.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A message parsed from protobuf text format, without a schema: an ordered list of fields, each a
 * scalar token or a nested message. List syntax ({@code dims: [1, 2]}) becomes repeated fields.
 */
final class PbtxtMessage {

  /** One field occurrence; exactly one of {@code scalar} and {@code message} is set. */
  record Field(String name, int line, Scalar scalar, PbtxtMessage message) {}

  /** A scalar value token: a quoted string (already unescaped) or a bare word/number. */
  record Scalar(String text, boolean quoted) {}

  private final int line;
  private final List<Field> fields = new ArrayList<>();

  PbtxtMessage(int line) {
    this.line = line;
  }

  int line() {
    return line;
  }

  List<Field> fields() {
    return fields;
  }

  void add(Field field) {
    fields.add(field);
  }
}
