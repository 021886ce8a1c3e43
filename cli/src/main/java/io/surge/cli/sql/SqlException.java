package io.surge.cli.sql;

/** A statement Flink refused, or a topic that is not there: the message is one line for users. */
public final class SqlException extends RuntimeException {

  public SqlException(String message) {
    super(message);
  }

  public SqlException(String message, Throwable cause) {
    super(message, cause);
  }
}
