package io.uploadstream.upload;

import java.util.List;

/**
 * A named probe of one S3 feature, grouped under the column of the README's compatibility table it
 * proves. {@link #ALL} is every probe {@code S3CompatibilityIT} runs against every store.
 */
record StoreProbe(String feature, String name, Run run) {
  interface Run {
    Finding on(ProbeTarget target) throws Exception;
  }

  static final String MULTIPART = "multipart";
  static final String CHECKSUMS = "checksums (CRC32C, MD5)";
  static final String CONDITIONAL = "conditional writes";
  static final String TAGS = "tags";
  static final String STORAGE_CLASS = "storage class";
  static final String SSE = "SSE headers";
  static final String HEADERS = "HTTP headers, metadata";
  static final String RESUME = "resume";
  static final String AUTH = "authentication";

  static final List<StoreProbe> ALL =
      List.of(
          new StoreProbe(
              MULTIPART, "create, upload part, complete", MultipartProbes::createUploadComplete),
          new StoreProbe(MULTIPART, "ListParts: number, size, ETag", MultipartProbes::listParts),
          new StoreProbe(MULTIPART, "ListMultipartUploads by key", MultipartProbes::listUploads),
          new StoreProbe(MULTIPART, "abort: upload gone, 404 NoSuchUpload", MultipartProbes::abort),
          new StoreProbe(
              MULTIPART,
              "abort one of two uploads of a key: other kept",
              MultipartProbes::twoUploadsOfOneKey),
          new StoreProbe(
              MULTIPART,
              "abort an upload of a key: the key's object kept",
              MultipartProbes::abortKeepsTheKeysObject),
          new StoreProbe(
              CHECKSUMS, "PutObject: wrong CRC32C header refused", MultipartProbes::putWrongCrc32c),
          new StoreProbe(
              CHECKSUMS,
              "UploadPart: wrong CRC32C header refused",
              MultipartProbes::partWrongCrc32c),
          new StoreProbe(
              CHECKSUMS, "PutObject: wrong Content-MD5 refused", MultipartProbes::putWrongMd5),
          new StoreProbe(
              CHECKSUMS, "UploadPart: wrong Content-MD5 refused", MultipartProbes::partWrongMd5),
          new StoreProbe(
              CHECKSUMS,
              "PutObject: CRC32C stored, returned by HEAD",
              MultipartProbes::putCrc32cStored),
          new StoreProbe(
              CHECKSUMS,
              "Complete: composite CRC32C returned by HEAD",
              MultipartProbes::compositeCrc32c),
          new StoreProbe(
              CHECKSUMS,
              "Complete: wrong part CRC32C refused",
              MultipartProbes::completeWrongPartChecksum),
          new StoreProbe(
              CHECKSUMS, "ListParts: part CRC32C returned", MultipartProbes::listPartsChecksums),
          new StoreProbe(
              CONDITIONAL, "PutObject If-None-Match: * → 412", ObjectOptionProbes::putIfNoneMatch),
          new StoreProbe(
              CONDITIONAL, "PutObject If-Match other ETag → 412", ObjectOptionProbes::putIfMatch),
          new StoreProbe(
              CONDITIONAL,
              "Complete If-None-Match: * → 412",
              ObjectOptionProbes::completeIfNoneMatch),
          new StoreProbe(
              CONDITIONAL,
              "Complete If-Match other ETag → 412",
              ObjectOptionProbes::completeIfMatch),
          new StoreProbe(TAGS, "PutObject x-amz-tagging", ObjectOptionProbes::putTags),
          new StoreProbe(
              TAGS, "CreateMultipartUpload x-amz-tagging", ObjectOptionProbes::multipartTags),
          new StoreProbe(TAGS, "x-amz-tagging values URL-decoded", ObjectOptionProbes::encodedTags),
          new StoreProbe(TAGS, "GetObject: x-amz-tagging-count", ObjectOptionProbes::tagCount),
          new StoreProbe(
              STORAGE_CLASS, "PutObject STANDARD_IA", StoredOptionProbes::putStorageClass),
          new StoreProbe(
              STORAGE_CLASS,
              "CreateMultipartUpload STANDARD_IA",
              StoredOptionProbes::multipartStorageClass),
          new StoreProbe(SSE, "PutObject AES256", StoredOptionProbes::putSseAes256),
          new StoreProbe(
              SSE, "CreateMultipartUpload AES256", StoredOptionProbes::multipartSseAes256),
          new StoreProbe(SSE, "PutObject aws:kms with key ARN", StoredOptionProbes::putSseKmsArn),
          new StoreProbe(SSE, "PutObject aws:kms with key id", StoredOptionProbes::putSseKmsKeyId),
          new StoreProbe(
              SSE,
              "CreateMultipartUpload aws:kms with key id",
              StoredOptionProbes::multipartSseKmsKeyId),
          new StoreProbe(
              SSE, "PutObject aws:kms unknown key refused", StoredOptionProbes::unknownKmsKey),
          new StoreProbe(
              HEADERS,
              "PutObject Cache-Control, Content-Disposition",
              StoredOptionProbes::putHttpHeaders),
          new StoreProbe(
              HEADERS,
              "CreateMultipartUpload Cache-Control, Content-Disposition",
              StoredOptionProbes::multipartHttpHeaders),
          new StoreProbe(HEADERS, "PutObject user metadata", StoredOptionProbes::putMetadata),
          new StoreProbe(
              HEADERS,
              "CreateMultipartUpload user metadata",
              StoredOptionProbes::multipartMetadata),
          new StoreProbe(
              RESUME, "new client: find upload, list parts, complete", MultipartProbes::resume),
          new StoreProbe(AUTH, "unsigned GET refused (403)", ObjectOptionProbes::anonymousGet));
}
