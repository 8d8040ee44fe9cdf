package io.uploadstream.client;

import io.uploadstream.contract.AfterUpload;
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
  private String cacheControl;
  private String contentDisposition;
  private boolean attachment;
  private String storageClass;
  private final Map<String, String> tags = new LinkedHashMap<>();
  private AfterUpload afterUpload;

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

  /** The object's Cache-Control, e.g. {@code public, max-age=31536000, immutable}. */
  public FileRequest cacheControl(String cacheControl) {
    this.cacheControl = requireText("cacheControl", cacheControl);
    return this;
  }

  /** The object's Content-Disposition as given; see {@link #attachment()} to build one. */
  public FileRequest contentDisposition(String contentDisposition) {
    this.contentDisposition = requireText("contentDisposition", contentDisposition);
    this.attachment = false;
    return this;
  }

  /**
   * Content-Disposition {@code attachment} with the name in the key (the file name, or {@link
   * #fileName}), built safely for any name ({@link ContentDisposition#attachment}).
   */
  public FileRequest attachment() {
    this.attachment = true;
    this.contentDisposition = null;
    return this;
  }

  /** The object's storage class; the processor must allow it (upload.allowed-storage-classes). */
  public FileRequest storageClass(String storageClass) {
    this.storageClass = requireText("storageClass", storageClass);
    return this;
  }

  /** Adds one object tag (at most 10 with the processor's default tags). */
  public FileRequest tag(String key, String value) {
    tags.put(requireText("tag key", key), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** Adds every entry of {@code entries} as an object tag. */
  public FileRequest tags(Map<String, String> entries) {
    entries.forEach(this::tag);
    return this;
  }

  /**
   * Asks the processor to delete the file once its result is committed, if it is unchanged; the
   * processor must allow it ({@code processor.allow-delete=true}).
   */
  public FileRequest deleteAfterUpload() {
    this.afterUpload = AfterUpload.DELETE;
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
            metadata,
            cacheControl,
            attachment ? ContentDisposition.attachment(keyFileName()) : contentDisposition,
            storageClass,
            tags,
            afterUpload);
    RequestCheck.requireValid(request);
    return request;
  }

  /** The name the key (and an attachment) uses. */
  private String keyFileName() {
    return fileName != null ? fileName : file.getFileName().toString();
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
