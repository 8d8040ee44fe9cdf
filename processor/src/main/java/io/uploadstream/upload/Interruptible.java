package io.uploadstream.upload;

import java.io.IOException;
import software.amazon.awssdk.core.exception.AbortedException;

/**
 * Runs a store call on the caller's thread. An interrupt there surfaces from the SDK as an aborted
 * call, or from a retry backoff as the last failure with the flag set again; either way it becomes
 * an InterruptedException, with the flag cleared as for any thrown interruption.
 */
final class Interruptible {
  private Interruptible() {}

  /** A step of the upload that runs on the caller's thread. */
  @FunctionalInterface
  interface CallerThreadCall<T> {
    T run() throws IOException;
  }

  static <T> T call(CallerThreadCall<T> call) throws InterruptedException, IOException {
    try {
      return call.run();
    } catch (StorageException e) {
      if (Thread.interrupted() || e.getCause() instanceof AbortedException) {
        throw interrupted(e.operation(), e);
      }
      throw e;
    }
  }

  static InterruptedException interrupted(String during, Exception cause) {
    InterruptedException interrupted = new InterruptedException("interrupted: " + during);
    interrupted.initCause(cause);
    return interrupted;
  }
}
