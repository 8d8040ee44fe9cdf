package io.uploadstream.processor;

import java.util.Optional;

/**
 * Whether the store answers at all, asked afresh: it tells a store outage (wait for it) from one
 * object the store keeps failing while it answers everything else (do not hold the partition for
 * it). The composition root passes the readiness probe's bucket check.
 */
@FunctionalInterface
public interface StoreCheck {
  /** Assumes the store is down whenever an upload fails: every such failure is waited out. */
  StoreCheck ALWAYS_DOWN = () -> Optional.of("the store is not checked");

  /** Checks the bucket now; why it is unusable, or empty when it answered. */
  Optional<String> problem();
}
