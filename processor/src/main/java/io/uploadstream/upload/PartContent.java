package io.uploadstream.upload;

import java.io.IOException;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * One part's bytes (or a single PutObject's): to checksum, to compare with a part an earlier
 * attempt stored, and to send. A part no larger than a pooled buffer (the standard part size) is
 * read once into one and served from memory, which is fast. A larger part, as {@link PartPlan}
 * makes them for files over 10,000 parts (up to 525 MiB for 5 TiB), is never held in memory: each
 * digest streams it from the file through a pooled buffer, and its body reads it from the file
 * again for every attempt ({@link FileRangeBody}). So an upload holds at most one pooled buffer per
 * part in flight, whatever the file size.
 *
 * <p>A streamed part is read twice: if the file changes in between, the store rejects the bytes
 * against the checksum header of the first read, and the size and modification time checked after
 * the last part tell it was the file.
 *
 * <p>Used by one thread; {@link #close()} gives the buffer back.
 */
abstract sealed class PartContent implements AutoCloseable {

  /** The content of {@code [offset, offset + lengthBytes)} of the upload's file. */
  static PartContent read(UploadContext upload, long offset, long lengthBytes) throws IOException {
    PartBuffers buffers = upload.buffers();
    if (lengthBytes > buffers.bufferSizeBytes()) {
      return new Streamed(upload.file(), buffers, offset, lengthBytes);
    }
    int length = (int) lengthBytes;
    byte[] buffer = buffers.acquire(length);
    boolean read = false;
    try {
      upload.file().read(buffer, offset, length);
      read = true;
      return new Buffered(buffers, buffer, length);
    } finally {
      if (!read) {
        buffers.release(buffer);
      }
    }
  }

  abstract long lengthBytes();

  /** The digest of the content (a streamed part is read from the file for it). */
  abstract byte[] digest(ChecksumAlgorithm algorithm) throws IOException;

  /** The checksum header the store verifies the content against. */
  PartChecksum checksum(ChecksumAlgorithm algorithm) throws IOException {
    return PartChecksum.fromDigest(algorithm, digest(algorithm));
  }

  /** The body to send; its streams fail once {@code cancelled} is true. */
  abstract ContentStreamProvider body(BooleanSupplier cancelled);

  @Override
  public abstract void close();

  /** Read into a pooled buffer once. */
  private static final class Buffered extends PartContent {
    private final PartBuffers buffers;
    private final byte[] buffer;
    private final int lengthBytes;

    Buffered(PartBuffers buffers, byte[] buffer, int lengthBytes) {
      this.buffers = buffers;
      this.buffer = buffer;
      this.lengthBytes = lengthBytes;
    }

    @Override
    long lengthBytes() {
      return lengthBytes;
    }

    @Override
    byte[] digest(ChecksumAlgorithm algorithm) {
      return Digest.of(algorithm, buffer, lengthBytes);
    }

    @Override
    ContentStreamProvider body(BooleanSupplier cancelled) {
      return new PartBody(buffer, lengthBytes, cancelled);
    }

    @Override
    public void close() {
      buffers.release(buffer);
    }
  }

  /** Read from the file each time it is needed. */
  private static final class Streamed extends PartContent {
    private final SourceFile file;
    private final PartBuffers buffers;
    private final long offset;
    private final long lengthBytes;

    Streamed(SourceFile file, PartBuffers buffers, long offset, long lengthBytes) {
      this.file = file;
      this.buffers = buffers;
      this.offset = offset;
      this.lengthBytes = lengthBytes;
    }

    @Override
    long lengthBytes() {
      return lengthBytes;
    }

    @Override
    byte[] digest(ChecksumAlgorithm algorithm) throws IOException {
      return new FileDigests(file, buffers).ofRange(offset, lengthBytes, algorithm);
    }

    @Override
    ContentStreamProvider body(BooleanSupplier cancelled) {
      return new FileRangeBody(file, offset, lengthBytes, cancelled);
    }

    @Override
    public void close() {
      // nothing held
    }
  }
}
