package io.uploadstream.upload;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The part buffers of one uploader, shared by all its uploads so parts reuse a few arrays instead
 * of allocating one each. No buffer is larger than {@code bufferSizeBytes} (the standard part
 * size): a larger part is streamed from the file instead ({@link PartContent}), so part buffers
 * cost at most one such array per part in flight, whatever the file size. How many are in use at
 * once is bounded by the callers (one per permit of an upload); the pool only bounds how many it
 * keeps idle.
 */
final class PartBuffers {
  /** Parts are buffered in one Java array each, which must stay well below 2 GiB. */
  static final int MAX_BUFFER_SIZE_BYTES = 1024 * 1024 * 1024;

  private final int bufferSizeBytes;
  private final int maxIdle;
  private final Deque<byte[]> idle = new ArrayDeque<>();

  /** Guarded by {@code this}; what was allocated, for tests of the memory bound. */
  private int largestAllocatedBytes;

  private long allocations;

  PartBuffers(int bufferSizeBytes, int maxIdle) {
    if (bufferSizeBytes < 1 || bufferSizeBytes > MAX_BUFFER_SIZE_BYTES) {
      throw new IllegalArgumentException(
          "bufferSizeBytes must be in [1, 1 GiB], was " + bufferSizeBytes);
    }
    if (maxIdle < 0) {
      throw new IllegalArgumentException("maxIdle must not be negative, was " + maxIdle);
    }
    this.bufferSizeBytes = bufferSizeBytes;
    this.maxIdle = maxIdle;
  }

  /**
   * A buffer of at least {@code sizeBytes}, at most {@link #bufferSizeBytes()}. A pooled buffer is
   * reused when one is idle; otherwise a small request gets an array of its own size (a 1-byte file
   * never costs a whole part).
   *
   * @throws IllegalArgumentException if {@code sizeBytes} exceeds the buffer size: such parts are
   *     streamed, never buffered
   */
  synchronized byte[] acquire(int sizeBytes) {
    if (sizeBytes > bufferSizeBytes) {
      throw new IllegalArgumentException(
          "sizeBytes must be at most the buffer size "
              + bufferSizeBytes
              + " (larger parts are streamed), was "
              + sizeBytes);
    }
    byte[] pooled = idle.pollFirst();
    if (pooled != null) {
      return pooled;
    }
    return allocate(sizeBytes < bufferSizeBytes ? sizeBytes : bufferSizeBytes);
  }

  /** Returns a buffer; only full-size buffers are kept, and at most {@code maxIdle} of them. */
  synchronized void release(byte[] buffer) {
    if (buffer.length != bufferSizeBytes || idle.size() >= maxIdle) {
      return;
    }
    idle.addFirst(buffer);
  }

  int bufferSizeBytes() {
    return bufferSizeBytes;
  }

  int maxIdle() {
    return maxIdle;
  }

  synchronized int idleCount() {
    return idle.size();
  }

  /** The largest array this pool ever allocated (0: none yet). */
  synchronized int largestAllocatedBytes() {
    return largestAllocatedBytes;
  }

  /** How many arrays this pool allocated: a pool that is large enough stops allocating. */
  synchronized long allocations() {
    return allocations;
  }

  private byte[] allocate(int sizeBytes) {
    largestAllocatedBytes = Math.max(largestAllocatedBytes, sizeBytes);
    allocations++;
    return new byte[sizeBytes];
  }
}
