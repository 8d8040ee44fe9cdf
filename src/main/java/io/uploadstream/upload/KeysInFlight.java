package io.uploadstream.upload;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys this uploader is uploading to right now, each with how many uploads target it. The
 * janitor leaves their incomplete uploads alone; a second upload of a key already in flight neither
 * resumes nor aborts the first one's upload. Thread-safe.
 */
final class KeysInFlight {
  private final ConcurrentHashMap<String, Integer> uploadsByKey = new ConcurrentHashMap<>();

  /** Registers an upload of {@code key}; true when no other upload of it is in flight. */
  boolean add(String key) {
    return uploadsByKey.merge(key, 1, Integer::sum) == 1;
  }

  /** Unregisters one upload of {@code key}, added before. */
  void remove(String key) {
    uploadsByKey.computeIfPresent(key, (k, uploads) -> uploads == 1 ? null : uploads - 1);
  }

  Set<String> snapshot() {
    return Set.copyOf(uploadsByKey.keySet());
  }
}
