package io.uploadstream.upload;

import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;

/**
 * What the file system says about one file (a stat): its identity, {@code fileKey} (device and
 * inode on Unix), whether it is a regular file, how many names (hard links) it has, its size and
 * its modification time. {@code linkCount} is -1 where the file system does not count links.
 */
public record FileStatus(
    Object fileKey, boolean regularFile, int linkCount, long sizeBytes, FileTime lastModified) {

  public FileStatus {
    Objects.requireNonNull(lastModified, "lastModified");
  }

  /** From attributes read without following a symlink, and the link count read alongside. */
  public static FileStatus of(BasicFileAttributes attributes, int linkCount) {
    return new FileStatus(
        attributes.fileKey(),
        attributes.isRegularFile(),
        linkCount,
        attributes.size(),
        attributes.lastModifiedTime());
  }
}
