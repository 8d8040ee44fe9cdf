package io.uploadstream.upload;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * A part's bytes read straight from the file, for parts too large to buffer: every attempt (and the
 * signer, when it hashes the payload) gets a fresh stream over {@code [offset, offset +
 * lengthBytes)} that reads by position, at most 256 KiB at a time, into the caller's array; nothing
 * of the part is held in memory. Like {@link PartBody} the stream fails as soon as the upload is
 * cancelled. A failed read of the file surfaces as {@link ReadFailedException}, which is never
 * retried: the store is not at fault.
 */
final class FileRangeBody implements ContentStreamProvider {
  private final SourceFile file;
  private final long offset;
  private final long lengthBytes;
  private final BooleanSupplier cancelled;

  FileRangeBody(SourceFile file, long offset, long lengthBytes, BooleanSupplier cancelled) {
    this.file = file;
    this.offset = offset;
    this.lengthBytes = lengthBytes;
    this.cancelled = cancelled;
  }

  @Override
  public InputStream newStream() {
    return new RangeStream();
  }

  @Override
  public String name() {
    return "FileRangeBody";
  }

  /** Reading the file for a body failed (it changed, or the disk did); the cause says how. */
  static final class ReadFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    ReadFailedException(IOException cause) {
      super("reading the part from the file failed: " + cause, cause);
    }
  }

  /**
   * Throws the file's own failure when {@code failure} came from reading a body from the file, so
   * the caller reports what happened to the file (FILE_CHANGED...) rather than a store error.
   */
  static void throwIfReadFailed(SdkException failure) throws IOException {
    for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof ReadFailedException readFailed) {
        IOException cause = (IOException) readFailed.getCause();
        cause.addSuppressed(failure);
        throw cause;
      }
    }
  }

  /** A positioned stream over the range (mark/reset included). */
  private final class RangeStream extends InputStream {
    private long position;
    private long mark;

    @Override
    public int read(byte[] target, int targetOffset, int length) throws IOException {
      if (cancelled.getAsBoolean()) {
        throw new PartBody.CancelledException();
      }
      if (length == 0) {
        return 0;
      }
      long remaining = lengthBytes - position;
      if (remaining <= 0) {
        return -1;
      }
      int wanted = (int) Math.min(length, remaining);
      int read;
      try {
        read = file.readSome(target, targetOffset, wanted, offset + position);
      } catch (IOException e) {
        throw new ReadFailedException(e);
      }
      position += read;
      return read;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public long skip(long count) {
      long skipped = Math.max(0, Math.min(count, lengthBytes - position));
      position += skipped;
      return skipped;
    }

    @Override
    public int available() {
      return (int) Math.min(lengthBytes - position, Integer.MAX_VALUE);
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
  }
}
