package io.uploadstream.upload;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A small pool of part buffers shared by all uploads of one uploader, so a file of any size reuses
 * a few arrays instead of allocating one per part. The pool only bounds what it keeps idle; how
 * many buffers are in use at once is bounded by the callers (one per permit of an upload).
 */
final class PartBuffers {
  private final int bufferSizeBytes;
  private final int maxIdle;
  private final Deque<byte[]> idle = new ArrayDeque<>();

  PartBuffers(int bufferSizeBytes, int maxIdle) {
    if (bufferSizeBytes < 1) {
      throw new IllegalArgumentException(
          "bufferSizeBytes must be positive, was " + bufferSizeBytes);
    }
    if (maxIdle < 0) {
      throw new IllegalArgumentException("maxIdle must not be negative, was " + maxIdle);
    }
    this.bufferSizeBytes = bufferSizeBytes;
    this.maxIdle = maxIdle;
  }

  /**
   * A buffer of at least {@code sizeBytes}. Pooled buffers are reused when one is idle; otherwise a
   * small request gets an array of its own size (a 1-byte file never costs a whole part) and a part
   * larger than the pool's size (a grown part size) gets a one-off array.
   */
  synchronized byte[] acquire(int sizeBytes) {
    if (sizeBytes > bufferSizeBytes) {
      return new byte[sizeBytes];
    }
    byte[] pooled = idle.pollFirst();
    if (pooled != null) {
      return pooled;
    }
    return new byte[sizeBytes < bufferSizeBytes ? sizeBytes : bufferSizeBytes];
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

  synchronized int idleCount() {
    return idle.size();
  }
}
