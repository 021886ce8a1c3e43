package io.surge.serving.engine;

import io.surge.serving.engine.PbtxtMessage.Field;
import io.surge.serving.engine.PbtxtMessage.Scalar;

/**
 * Parses protobuf text format into {@link PbtxtMessage} trees. Schema-free: field meaning is left
 * to {@link ModelConfigReader}. Supports {@code #} comments, quoted strings with C escapes, {@code
 * name: value}, {@code name { ... }}, {@code name: { ... }}, {@code name < ... >}, lists {@code [a,
 * b]} of scalars or messages, and optional {@code ,}/{@code ;} separators.
 */
final class PbtxtParser {

  private final PbtxtTokenizer tokens;

  private PbtxtParser(String source, String text) {
    this.tokens = new PbtxtTokenizer(source, text);
  }

  /** Parses a whole document; {@code source} names it in error messages. */
  static PbtxtMessage parse(String source, String text) {
    PbtxtParser parser = new PbtxtParser(source, text);
    PbtxtMessage root = new PbtxtMessage(1);
    parser.parseFields(root, null);
    return root;
  }

  private void parseFields(PbtxtMessage message, String closing) {
    while (true) {
      PbtxtTokenizer.Token token = tokens.peek();
      if (token.isEnd()) {
        if (closing != null) {
          throw tokens.error(
              token, "missing '" + closing + "' for the message opened at line " + message.line());
        }
        return;
      }
      if (closing != null && token.is(closing)) {
        tokens.next();
        return;
      }
      parseField(message);
      skipSeparator();
    }
  }

  private void parseField(PbtxtMessage message) {
    PbtxtTokenizer.Token nameToken = tokens.next();
    if (!nameToken.isWord()) {
      throw tokens.error(nameToken, "expected a field name, found " + nameToken.describe());
    }
    String name = nameToken.text();
    boolean colon = tokens.peek().is(":");
    if (colon) {
      tokens.next();
    }
    PbtxtTokenizer.Token next = tokens.peek();
    if (next.is("[")) {
      int openLine = tokens.next().line();
      parseList(message, name, openLine);
      return;
    }
    if (next.is("{") || next.is("<")) {
      message.add(new Field(name, nameToken.line(), null, parseMessage()));
      return;
    }
    if (!colon) {
      throw tokens.error(
          next, "expected ':' or '{' after field '" + name + "', found " + next.describe());
    }
    message.add(new Field(name, nameToken.line(), parseScalar(name), null));
  }

  private void parseList(PbtxtMessage message, String name, int openLine) {
    if (tokens.peek().is("]")) {
      tokens.next();
      return;
    }
    while (true) {
      PbtxtTokenizer.Token element = tokens.peek();
      if (element.is("{") || element.is("<")) {
        message.add(new Field(name, element.line(), null, parseMessage()));
      } else {
        message.add(new Field(name, element.line(), parseScalar(name), null));
      }
      PbtxtTokenizer.Token after = tokens.next();
      if (after.is("]")) {
        return;
      }
      if (after.isEnd()) {
        throw tokens.error(
            after, "missing ']' for the list of '" + name + "' opened at line " + openLine);
      }
      if (!after.is(",")) {
        throw tokens.error(
            after, "expected ',' or ']' in the list of '" + name + "', found " + after.describe());
      }
    }
  }

  private PbtxtMessage parseMessage() {
    PbtxtTokenizer.Token open = tokens.next();
    PbtxtMessage nested = new PbtxtMessage(open.line());
    parseFields(nested, open.is("{") ? "}" : ">");
    return nested;
  }

  private Scalar parseScalar(String name) {
    PbtxtTokenizer.Token token = tokens.next();
    if (token.isString()) {
      // Adjacent string literals concatenate, as in C and protobuf text format.
      StringBuilder text = new StringBuilder(token.text());
      while (tokens.peek().isString()) {
        text.append(tokens.next().text());
      }
      return new Scalar(text.toString(), true);
    }
    if (token.isWord()) {
      return new Scalar(token.text(), false);
    }
    throw tokens.error(token, "expected a value for '" + name + "', found " + token.describe());
  }

  private void skipSeparator() {
    PbtxtTokenizer.Token token = tokens.peek();
    if (token.is(",") || token.is(";")) {
      tokens.next();
    }
  }
}
