package io.surge.serving.engine;

/**
 * A model repository that cannot be loaded: missing files, bad config, config vs model mismatch.
 */
public final class ModelRepositoryException extends RuntimeException {

  public ModelRepositoryException(String message) {
    super(message);
  }

  public ModelRepositoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
