package io.uploadstream.upload;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Digests of a file read front to back through one buffer from the uploader's pool, on the caller's
 * thread: the caller holds no part permit then, so memory stays within the bound of one upload.
 * Parts larger than a pooled buffer are digested in pieces.
 */
final class FileDigests {
  private final SourceFile file;
  private final PartBuffers buffers;

  FileDigests(SourceFile file, PartBuffers buffers) {
    this.file = file;
    this.buffers = buffers;
  }

  /** The digest of each part of {@code plan}, in part order. */
  List<byte[]> ofParts(PartPlan plan, ChecksumAlgorithm algorithm) throws IOException {
    byte[] buffer = buffers.acquire(bufferSize(plan.partSizeBytes()));
    try {
      List<byte[]> digests = new ArrayList<>(plan.partCount());
      for (int partNumber = 1; partNumber <= plan.partCount(); partNumber++) {
        Digest digest = Digest.of(algorithm);
        feed(digest, buffer, plan.offset(partNumber), plan.length(partNumber));
        digests.add(digest.finish());
      }
      return digests;
    } finally {
      buffers.release(buffer);
    }
  }

  /** The digest of {@code [offset, offset + lengthBytes)} of the file. */
  byte[] ofRange(long offset, long lengthBytes, ChecksumAlgorithm algorithm) throws IOException {
    byte[] buffer = buffers.acquire(bufferSize(lengthBytes));
    try {
      Digest digest = Digest.of(algorithm);
      feed(digest, buffer, offset, lengthBytes);
      return digest.finish();
    } finally {
      buffers.release(buffer);
    }
  }

  /** The digest of the whole file. */
  byte[] ofWhole(ChecksumAlgorithm algorithm) throws IOException {
    return ofRange(0, file.sizeBytes(), algorithm);
  }

  private int bufferSize(long wantedBytes) {
    return (int) Math.max(1, Math.min(wantedBytes, buffers.bufferSizeBytes()));
  }

  private void feed(Digest digest, byte[] buffer, long offset, long lengthBytes)
      throws IOException {
    for (long done = 0; done < lengthBytes; ) {
      int piece = (int) Math.min(buffer.length, lengthBytes - done);
      file.read(buffer, offset + done, piece);
      digest.update(buffer, 0, piece);
      done += piece;
    }
  }
}
