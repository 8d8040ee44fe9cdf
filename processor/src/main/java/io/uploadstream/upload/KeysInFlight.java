package io.uploadstream.upload;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The keys this uploader is working on right now: each key with how many uploads of it run, and how
 * many callers hold it between uploads (a request retried through a store outage). The janitor
 * leaves the incomplete uploads of all of them alone; a second upload of a key already being
 * uploaded neither resumes nor aborts the first one's upload (a hold does not count as an upload).
 * Thread-safe.
 */
final class KeysInFlight {
  private final ConcurrentHashMap<String, Integer> uploadsByKey = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Integer> holdsByKey = new ConcurrentHashMap<>();

  /** Registers an upload of {@code key}; true when no other upload of it is in flight. */
  boolean add(String key) {
    return uploadsByKey.merge(key, 1, Integer::sum) == 1;
  }

  /** Unregisters one upload of {@code key}, added before. */
  void remove(String key) {
    uploadsByKey.computeIfPresent(key, (k, uploads) -> uploads == 1 ? null : uploads - 1);
  }

  /** Keeps {@code key} in the {@link #snapshot} until the hold is closed. */
  KeyHold hold(String key) {
    holdsByKey.merge(key, 1, Integer::sum);
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        holdsByKey.computeIfPresent(key, (k, holds) -> holds == 1 ? null : holds - 1);
      }
    };
  }

  /**
   * The keys uploaded or held now. Holds are read first: a caller holds a key before its upload
   * starts and releases it after the upload ends, so a held key is never missed in between.
   */
  Set<String> snapshot() {
    Set<String> keys = new HashSet<>(holdsByKey.keySet());
    keys.addAll(uploadsByKey.keySet());
    return Set.copyOf(keys);
  }
}
