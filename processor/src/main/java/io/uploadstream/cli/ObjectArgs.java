package io.uploadstream.cli;

import io.uploadstream.client.FileRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code submit} options that say what each object is stored with (headers, storage class,
 * tags) and what becomes of its file; {@link #applyTo} puts them on a request.
 */
final class ObjectArgs {
  @Option(
      names = "--cache-control",
      paramLabel = "VALUE",
      description =
          "Cache-Control stored with each object, e.g. \"public, max-age=31536000, immutable\""
              + " (default: the processor's upload.cache-control).")
  String cacheControl;

  @Option(
      names = "--content-disposition",
      paramLabel = "VALUE",
      description =
          "Content-Disposition stored with each object, e.g. inline (default: the processor's"
              + " upload.content-disposition).")
  String contentDisposition;

  @Option(
      names = "--attachment",
      description =
          "Content-Disposition: attachment with the file's name (RFC 6266 filename*, safe for any"
              + " name), so browsers download it under that name.")
  boolean attachment;

  @Option(
      names = "--storage-class",
      paramLabel = "CLASS",
      description =
          "S3 storage class of each object, e.g. STANDARD_IA; the processor must list it in"
              + " upload.allowed-storage-classes.")
  String storageClass;

  @Option(
      names = "--tag",
      paramLabel = "KEY=VALUE",
      description =
          "Object tag stored with each object (repeatable; at most 10 with the processor's"
              + " upload.tags).")
  Map<String, String> tags = new LinkedHashMap<>();

  @Option(
      names = "--delete-after-upload",
      description =
          "Ask the processor to delete each file once its result is committed, if unchanged"
              + " (afterUpload=delete; needs processor.allow-delete=true there).")
  boolean deleteAfterUpload;

  /** A combination of these options that makes no sense, if there is one. */
  Optional<String> problem() {
    if (attachment && contentDisposition != null) {
      return Optional.of("--attachment and --content-disposition both set the Content-Disposition");
    }
    return Optional.empty();
  }

  FileRequest applyTo(FileRequest request) {
    request.tags(tags);
    if (cacheControl != null) {
      request.cacheControl(cacheControl);
    }
    if (contentDisposition != null) {
      request.contentDisposition(contentDisposition);
    }
    if (attachment) {
      request.attachment();
    }
    if (storageClass != null) {
      request.storageClass(storageClass);
    }
    if (deleteAfterUpload) {
      request.deleteAfterUpload();
    }
    return request;
  }
}
