package io.uploadstream.app;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the composition root opened, closed in reverse order. Some resources are the processor's to
 * close ({@link #owned}); others are handed to the consumer loop, which closes them when it ends,
 * and are closed here only when the processor never started ({@link #untilStarted}).
 */
final class Resources {
  private static final Logger log = LoggerFactory.getLogger(Resources.class);

  private final Deque<AutoCloseable> owned = new ArrayDeque<>();
  private final Deque<AutoCloseable> all = new ArrayDeque<>();

  /** {@code resource}, closed by {@link #close} (and by a failed start). */
  <T extends AutoCloseable> T owned(T resource) {
    owned.push(resource);
    all.push(resource);
    return resource;
  }

  /** {@code resource}, closed here only by a failed start: the running loop closes it. */
  <T extends AutoCloseable> T untilStarted(T resource) {
    all.push(resource);
    return resource;
  }

  /** Closes what the processor owns, last opened first. */
  void close() {
    closeAll(owned);
  }

  /** Closes everything opened so far, last opened first. */
  void closeAfterFailedStart() {
    closeAll(all);
  }

  private static void closeAll(Deque<AutoCloseable> resources) {
    while (!resources.isEmpty()) {
      AutoCloseable resource = resources.pop();
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("closing {} failed: {}", resource, e.toString());
      }
    }
  }
}
