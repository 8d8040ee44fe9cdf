package io.uploadstream.upload;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * A part's bytes as the SDK sends them: every attempt (and the signer, when it hashes the payload)
 * gets a fresh stream over the same pooled buffer, so nothing is copied. The stream fails as soon
 * as the upload is cancelled, which stops a part mid-body instead of sending the rest of it.
 */
final class PartBody implements ContentStreamProvider {
  private final byte[] buffer;
  private final int lengthBytes;
  private final BooleanSupplier cancelled;

  PartBody(byte[] buffer, int lengthBytes, BooleanSupplier cancelled) {
    this.buffer = buffer;
    this.lengthBytes = lengthBytes;
    this.cancelled = cancelled;
  }

  @Override
  public InputStream newStream() {
    return new CancellableStream();
  }

  @Override
  public String name() {
    return "PartBody";
  }

  /** Thrown into the SDK by a cancelled part's body; never retried. */
  static final class CancelledException extends IOException {
    CancelledException() {
      super("part upload cancelled");
    }
  }

  /** An array stream (mark/reset included) that checks for cancellation before every read. */
  private final class CancellableStream extends InputStream {
    private int position;
    private int mark;

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      throwIfCancelled();
      if (length == 0) {
        return 0;
      }
      int count = Math.min(length, lengthBytes - position);
      if (count <= 0) {
        return -1;
      }
      System.arraycopy(buffer, position, target, offset, count);
      position += count;
      return count;
    }

    @Override
    public int read() throws IOException {
      throwIfCancelled();
      return position < lengthBytes ? buffer[position++] & 0xff : -1;
    }

    @Override
    public long skip(long count) {
      int skipped = (int) Math.max(0, Math.min(count, lengthBytes - position));
      position += skipped;
      return skipped;
    }

    @Override
    public int available() {
      return lengthBytes - position;
    }

    @Override
    public boolean markSupported() {
      return true;
    }

    @Override
    public void mark(int readLimit) {
      mark = position;
    }

    @Override
    public void reset() {
      position = mark;
    }

    private void throwIfCancelled() throws CancelledException {
      if (cancelled.getAsBoolean()) {
        throw new CancelledException();
      }
    }
  }
}
