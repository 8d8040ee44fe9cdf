package io.uploadstream.processor;

import io.uploadstream.config.Setting;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.processor.PathGuard.Refused;
import io.uploadstream.upload.ObjectDefaults;
import io.uploadstream.upload.ObjectOptions;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a request may ask of this processor beyond its file, by the processor's settings: object
 * options over the defaults ({@link ObjectDefaults}), a storage class only from the allow-list, at
 * most 10 tags once merged with the default ones, and {@code afterUpload=delete} only with {@code
 * processor.allow-delete=true}. Whatever it refuses is {@code INVALID_REQUEST}, naming the setting.
 */
final class RequestRules {
  static final RequestRules DEFAULTS = new RequestRules(ObjectDefaults.NONE, false);

  private final ObjectDefaults defaults;
  private final boolean allowDelete;

  RequestRules(ObjectDefaults defaults, boolean allowDelete) {
    this.defaults = defaults;
    this.allowDelete = allowDelete;
  }

  /**
   * A delete request must name the file itself: through a symlink, the file deleted would be the
   * one the link points to, not the name the request gave.
   *
   * @throws Refused with {@code INVALID_REQUEST} when the name is not the file's own path
   */
  static void checkDeletable(UploadRequest request, PathGuard.AllowedFile file) throws Refused {
    Path named = Path.of(request.filePath()).normalize();
    if (request.deletesSource() && !named.equals(file.realPath())) {
      throw invalid(
          "afterUpload=delete needs the file's own path: "
              + named
              + " reaches "
              + file.realPath()
              + " through a symbolic link, which would delete the file it points to");
    }
  }

  /**
   * The options the request's object is stored with.
   *
   * @throws Refused with {@code INVALID_REQUEST} when the request asks for what is not allowed
   */
  ObjectOptions options(UploadRequest request) throws Refused {
    if (request.deletesSource() && !allowDelete) {
      throw invalid(
          "afterUpload=delete is not allowed here: the processor runs without "
              + Setting.PROCESSOR_ALLOW_DELETE.key()
              + "=true");
    }
    String storageClass = request.storageClass();
    if (storageClass != null && !defaults.allowsStorageClass(storageClass)) {
      throw invalid(
          "storageClass "
              + storageClass
              + " is not allowed: "
              + Setting.UPLOAD_ALLOWED_STORAGE_CLASSES.key()
              + " lists "
              + (defaults.allowedStorageClasses().isEmpty()
                  ? "none"
                  : String.join(", ", defaults.allowedStorageClasses())));
    }
    Map<String, String> tags = defaults.tagsWith(request.tags());
    if (tags.size() > ObjectOptions.MAX_TAGS) {
      throw invalid(
          "the request's "
              + request.tags().size()
              + " tags and the processor's default tags ("
              + Setting.UPLOAD_TAGS.key()
              + ") make "
              + tags.size()
              + ", S3 allows at most "
              + ObjectOptions.MAX_TAGS);
    }
    try {
      return new ObjectOptions(
          orDefault(request.cacheControl(), defaults.cacheControl()),
          orDefault(request.contentDisposition(), defaults.contentDisposition()),
          orDefault(storageClass, defaults.storageClass()),
          tags);
    } catch (IllegalArgumentException e) { // the schema refuses these; a request built otherwise
      throw invalid(e.getMessage());
    }
  }

  private static String orDefault(String requested, String fallback) {
    return requested != null ? requested : fallback;
  }

  private static Refused invalid(String message) {
    return new Refused(ErrorCode.INVALID_REQUEST, message);
  }
}
