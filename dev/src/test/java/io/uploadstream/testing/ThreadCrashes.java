package io.uploadstream.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every exception that ends a thread (the JVM's default uncaught-exception handler), so a
 * fixture can fail its test when a background thread crashed while it was open: a crash that only
 * reaches a log must not let the test pass. The handler before it still runs.
 */
final class ThreadCrashes {
  private static final List<AssertionError> crashes = new CopyOnWriteArrayList<>();
  private static boolean installed; // guarded by ThreadCrashes.class

  private ThreadCrashes() {}

  /** Installs the recording handler (once per JVM); returns the position to check from. */
  static synchronized int mark() {
    if (!installed) {
      Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
      Thread.setDefaultUncaughtExceptionHandler(
          (thread, e) -> {
            crashes.add(new AssertionError("thread " + thread.getName() + " crashed: " + e, e));
            if (previous != null) {
              previous.uncaughtException(thread, e);
            } else {
              thread.getThreadGroup().uncaughtException(thread, e);
            }
          });
      installed = true;
    }
    return crashes.size();
  }

  /** The crashes since {@code mark}. */
  static List<AssertionError> since(int mark) {
    return List.copyOf(crashes.subList(mark, crashes.size()));
  }
}
