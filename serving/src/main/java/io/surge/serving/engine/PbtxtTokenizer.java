package io.surge.serving.engine;

/** Splits protobuf text format into tokens, tracking line numbers for error messages. */
final class PbtxtTokenizer {

  /** A token: a punctuation mark, a bare word (identifier or number), a string, or the end. */
  record Token(Kind kind, String text, int line) {
    enum Kind {
      PUNCTUATION,
      WORD,
      STRING,
      END
    }

    boolean is(String punctuation) {
      return kind == Kind.PUNCTUATION && text.equals(punctuation);
    }

    boolean isWord() {
      return kind == Kind.WORD;
    }

    boolean isString() {
      return kind == Kind.STRING;
    }

    boolean isEnd() {
      return kind == Kind.END;
    }

    String describe() {
      return switch (kind) {
        case END -> "the end of the file";
        case STRING -> "string \"" + text + "\"";
        default -> "'" + text + "'";
      };
    }
  }

  private static final String PUNCTUATION = "{}[]<>:,;";

  private final String source;
  private final String text;
  private int pos;
  private int line = 1;

  /** Line of the last token consumed: where an unexpected end of file is reported. */
  private int lastLine = 1;

  private Token peeked;

  PbtxtTokenizer(String source, String text) {
    this.source = source;
    this.text = text;
  }

  Token peek() {
    if (peeked == null) {
      peeked = read();
    }
    return peeked;
  }

  Token next() {
    Token token = peek();
    peeked = null;
    lastLine = token.line();
    return token;
  }

  ModelConfigException error(Token at, String message) {
    return ModelConfigException.at(source, at.line(), message);
  }

  private Token read() {
    skipSpaceAndComments();
    if (pos >= text.length()) {
      return new Token(Token.Kind.END, "", lastLine);
    }
    char c = text.charAt(pos);
    if (PUNCTUATION.indexOf(c) >= 0) {
      pos++;
      return new Token(Token.Kind.PUNCTUATION, String.valueOf(c), line);
    }
    if (c == '"' || c == '\'') {
      return readString(c);
    }
    if (isWordChar(c)) {
      int start = pos;
      while (pos < text.length() && isWordChar(text.charAt(pos))) {
        pos++;
      }
      return new Token(Token.Kind.WORD, text.substring(start, pos), line);
    }
    throw ModelConfigException.at(source, line, "unexpected character '" + c + "'");
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '+' || c == '.';
  }

  private void skipSpaceAndComments() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '#') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else if (Character.isWhitespace(c)) {
        if (c == '\n') {
          line++;
        }
        pos++;
      } else {
        return;
      }
    }
  }

  private Token readString(char quote) {
    int startLine = line;
    StringBuilder out = new StringBuilder();
    pos++;
    while (true) {
      if (pos >= text.length() || text.charAt(pos) == '\n') {
        throw ModelConfigException.at(source, startLine, "unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == quote) {
        return new Token(Token.Kind.STRING, out.toString(), startLine);
      }
      if (c == '\\') {
        out.append(readEscape(startLine));
      } else {
        out.append(c);
      }
    }
  }

  private char readEscape(int startLine) {
    if (pos >= text.length()) {
      throw ModelConfigException.at(source, startLine, "unterminated string");
    }
    char c = text.charAt(pos++);
    return switch (c) {
      case 'n' -> '\n';
      case 't' -> '\t';
      case 'r' -> '\r';
      case '\\', '"', '\'' -> c;
      default -> throw ModelConfigException.at(source, line, "unsupported escape '\\" + c + "'");
    };
  }
}
