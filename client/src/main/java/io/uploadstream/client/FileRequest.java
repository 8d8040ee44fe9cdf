package io.uploadstream.client;

import io.uploadstream.contract.UploadRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Builds the request to upload one local file: {@code FileRequest.of(file, "tmp").build()}. Each
 * setter checks its value at once; {@link #build()} gives the request a fresh random {@code
 * requestId} and {@code requestedAt} = now, so its object key is fixed when it is submitted, and
 * checks it against the request schema. Not thread-safe; one builder can build many requests.
 */
public final class FileRequest {
  private final Path file;
  private final String prefix;
  private String fileName;
  private String contentType;
  private String remoteDir;
  private final Map<String, String> metadata = new LinkedHashMap<>();

  private FileRequest(Path file, String prefix) {
    this.file = Objects.requireNonNull(file, "file");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    if (file.getFileName() == null) {
      throw new IllegalArgumentException("file must name a file, was '" + file + "'");
    }
  }

  /** A request to upload {@code file} under {@code prefix} (e.g. {@code tmp}). */
  public static FileRequest of(Path file, String prefix) {
    return new FileRequest(file, prefix);
  }

  /** The name used in the object key; default: the file's base name. */
  public FileRequest fileName(String fileName) {
    this.fileName = requireText("fileName", fileName);
    return this;
  }

  /** The stored Content-Type; default: the processor detects it from the name. */
  public FileRequest contentType(String contentType) {
    this.contentType = requireText("contentType", contentType);
    return this;
  }

  /** Adds one entry of user metadata stored with the object. */
  public FileRequest metadata(String name, String value) {
    metadata.put(requireText("metadata name", name), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Adds every entry of {@code entries} as user metadata. */
  public FileRequest metadata(Map<String, String> entries) {
    entries.forEach(this::metadata);
    return this;
  }

  /**
   * Where the processor sees the file's directory when that differs from here, e.g. a shared volume
   * mounted at {@code /data/files}: the request's {@code filePath} becomes {@code remoteDir + "/" +
   * baseName}. Default: the file's absolute local path.
   */
  public FileRequest remoteDir(String remoteDir) {
    this.remoteDir = requireText("remoteDir", remoteDir);
    return this;
  }

  /** The path the processor is asked to read. */
  public String filePath() {
    if (remoteDir == null) {
      return file.toAbsolutePath().normalize().toString();
    }
    return joinPath(remoteDir, file.getFileName().toString());
  }

  /**
   * A new request with a random UUID as {@code requestId} and {@code requestedAt} = now.
   *
   * @throws IllegalArgumentException if the processor would reject it, e.g. a prefix with a leading
   *     {@code /}; the message says what is wrong
   */
  public UploadRequest build() {
    return build(UUID.randomUUID().toString(), Clock.systemUTC().instant());
  }

  UploadRequest build(String requestId, Instant requestedAt) {
    UploadRequest request =
        new UploadRequest(
            UploadRequest.CURRENT_SCHEMA_VERSION,
            requestId,
            filePath(),
            prefix,
            fileName,
            contentType,
            requestedAt,
            metadata);
    RequestCheck.requireValid(request);
    return request;
  }

  /** {@code dir + "/" + name}, without doubling a trailing slash of {@code dir}. */
  static String joinPath(String dir, String name) {
    int end = dir.length();
    while (end > 1 && dir.charAt(end - 1) == '/') {
      end--;
    }
    String trimmed = dir.substring(0, end);
    return trimmed.endsWith("/") ? trimmed + name : trimmed + "/" + name;
  }

  private static String requireText(String what, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank, was '" + value + "'");
    }
    return value;
  }
}
