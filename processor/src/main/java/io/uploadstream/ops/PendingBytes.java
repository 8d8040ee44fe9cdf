package io.uploadstream.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of running uploads that are not stored yet: each upload adds its file size when it starts,
 * takes off every part the store acknowledges and whatever is left when it ends. Thread-safe (part
 * threads and worker threads call it); never negative.
 *
 * <p>Uploads are told apart by request id. Two uploads of the same id at once (a redelivery racing
 * its original) share one entry, and the first to end takes the shared remainder off.
 */
final class PendingBytes {
  private final Map<String, AtomicLong> remainingById = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();

  void started(String requestId, long sizeBytes) {
    long size = Math.max(0, sizeBytes);
    remainingById.computeIfAbsent(requestId, id -> new AtomicLong()).addAndGet(size);
    total.addAndGet(size);
  }

  void stored(String requestId, long bytes) {
    AtomicLong remaining = remainingById.get(requestId);
    if (remaining == null || bytes <= 0) {
      return;
    }
    long before = remaining.getAndUpdate(r -> Math.max(0, r - bytes));
    total.addAndGet(-Math.min(before, bytes));
  }

  void ended(String requestId) {
    AtomicLong remaining = remainingById.remove(requestId);
    if (remaining != null) {
      total.addAndGet(-remaining.getAndSet(0));
    }
  }

  long total() {
    return total.get();
  }
}
