package io.uploadstream.testing;

import java.util.concurrent.atomic.AtomicInteger;

/** Unique, valid names for topics, groups and buckets, so tests sharing servers never collide. */
public final class Names {
  private static final AtomicInteger counter = new AtomicInteger();
  private static final String run = Long.toString(System.currentTimeMillis() % 100_000, 36);

  private Names() {}

  /** e.g. {@code requests-k3f-7}: lower case, digits and dashes (valid topic and bucket name). */
  public static String unique(String base) {
    return base + "-" + run + "-" + counter.incrementAndGet();
  }
}
