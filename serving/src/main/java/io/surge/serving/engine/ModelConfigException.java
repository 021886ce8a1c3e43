package io.surge.serving.engine;

/** A {@code config.pbtxt} that cannot be read or does not describe a valid model. */
public final class ModelConfigException extends IllegalArgumentException {

  public ModelConfigException(String message) {
    super(message);
  }

  /** An error at a line of a named source, formatted {@code source:line: message}. */
  static ModelConfigException at(String source, int line, String message) {
    return new ModelConfigException(source + ":" + line + ": " + message);
  }
}
