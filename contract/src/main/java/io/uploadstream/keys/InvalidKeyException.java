package io.uploadstream.keys;

/**
 * A request's prefix, file name or timestamp cannot form a safe object key. The processor answers
 * it with a FAILED result (INVALID_REQUEST, not retryable): sending it again cannot help.
 */
public final class InvalidKeyException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public InvalidKeyException(String message) {
    super(message);
  }
}
