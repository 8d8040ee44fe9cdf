package io.uploadstream.processor;

/**
 * The most one transaction (or, at least once, one acknowledged send) carries. A backlog — results
 * held behind a long upload, released at once — goes out in several batches, each with the offsets
 * it releases, so no transaction outlives {@code transaction.timeout.ms} or overflows the
 * producer's {@code buffer.memory}.
 */
record BatchLimit(int records, long bytes) {
  static final BatchLimit DEFAULT = new BatchLimit(1000, 8L * 1024 * 1024);

  BatchLimit {
    if (records < 1 || bytes < 1) {
      throw new IllegalArgumentException(
          "a batch must admit a record, was " + records + " records, " + bytes + " bytes");
    }
  }

  /** Whether a record of {@code size} bytes joins a batch of {@code count} records, {@code sum}. */
  boolean admits(int count, long sum, long size) {
    return count == 0 || (count < records && sum + size <= bytes);
  }
}
