package io.uploadstream.upload;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsRequest;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A store fake for the janitor's unit tests: incomplete uploads and their parts, both listings
 * paged as S3 pages them (by key and upload id after the markers; by part number), and Abort. Every
 * call is written to {@link #calls} in order ({@code list}, {@code parts <id>}, {@code abort
 * <id>}).
 */
final class ListingStore implements S3Client {
  private static final Comparator<MultipartUpload> S3_ORDER =
      Comparator.comparing(MultipartUpload::key).thenComparing(MultipartUpload::uploadId);

  private final Map<String, MultipartUpload> uploads = new ConcurrentHashMap<>();
  private final Map<String, TreeMap<Integer, Part>> parts = new ConcurrentHashMap<>();
  private final Set<String> completedMeanwhile = ConcurrentHashMap.newKeySet();
  final List<String> calls = new ArrayList<>();

  /**
   * Adds an upload of {@code key} initiated at {@code initiated}, with parts stored at {@code
   * stored}.
   */
  ListingStore upload(String uploadId, String key, Instant initiated, Instant... stored) {
    uploads.put(
        uploadId,
        MultipartUpload.builder().uploadId(uploadId).key(key).initiated(initiated).build());
    TreeMap<Integer, Part> byNumber = new TreeMap<>();
    for (int i = 0; i < stored.length; i++) {
      byNumber.put(
          i + 1,
          Part.builder().partNumber(i + 1).size(1L).eTag("e").lastModified(stored[i]).build());
    }
    parts.put(uploadId, byNumber);
    return this;
  }

  /**
   * ListParts of this upload answers 404 NoSuchUpload, as for an upload completed after listing.
   */
  ListingStore completedMeanwhile(String uploadId) {
    completedMeanwhile.add(uploadId);
    return this;
  }

  List<String> uploadIds() {
    return uploads.values().stream().sorted(S3_ORDER).map(MultipartUpload::uploadId).toList();
  }

  @Override
  public synchronized ListMultipartUploadsResponse listMultipartUploads(
      ListMultipartUploadsRequest r) {
    calls.add("list");
    String prefix = r.prefix() == null ? "" : r.prefix();
    List<MultipartUpload> after =
        uploads.values().stream()
            .filter(u -> u.key().startsWith(prefix))
            .filter(u -> afterMarkers(u, r.keyMarker(), r.uploadIdMarker()))
            .sorted(S3_ORDER)
            .toList();
    List<MultipartUpload> page = after.subList(0, Math.min(after.size(), r.maxUploads()));
    boolean truncated = page.size() < after.size();
    MultipartUpload last = page.isEmpty() ? null : page.get(page.size() - 1);
    return ListMultipartUploadsResponse.builder()
        .uploads(page)
        .isTruncated(truncated)
        .nextKeyMarker(truncated ? last.key() : null)
        .nextUploadIdMarker(truncated ? last.uploadId() : null)
        .build();
  }

  private static boolean afterMarkers(MultipartUpload u, String keyMarker, String uploadIdMarker) {
    if (keyMarker == null) {
      return true;
    }
    int byKey = u.key().compareTo(keyMarker);
    return byKey > 0
        || (byKey == 0 && uploadIdMarker != null && u.uploadId().compareTo(uploadIdMarker) > 0);
  }

  @Override
  public synchronized ListPartsResponse listParts(ListPartsRequest r) {
    calls.add("parts " + r.uploadId());
    if (completedMeanwhile.contains(r.uploadId())) {
      throw (S3Exception)
          S3Exception.builder()
              .statusCode(404)
              .awsErrorDetails(AwsErrorDetails.builder().errorCode("NoSuchUpload").build())
              .build();
    }
    TreeMap<Integer, Part> stored = parts.getOrDefault(r.uploadId(), new TreeMap<>());
    int from = r.partNumberMarker() == null ? 0 : r.partNumberMarker();
    List<Part> after = new ArrayList<>(stored.tailMap(from, false).values());
    List<Part> page = after.subList(0, Math.min(after.size(), r.maxParts()));
    boolean truncated = page.size() < after.size();
    return ListPartsResponse.builder()
        .parts(page)
        .isTruncated(truncated)
        .nextPartNumberMarker(truncated ? page.get(page.size() - 1).partNumber() : null)
        .build();
  }

  @Override
  public synchronized AbortMultipartUploadResponse abortMultipartUpload(
      AbortMultipartUploadRequest r) {
    calls.add("abort " + r.uploadId());
    uploads.remove(r.uploadId());
    parts.remove(r.uploadId());
    return AbortMultipartUploadResponse.builder().build();
  }

  @Override
  public String serviceName() {
    return "s3";
  }

  @Override
  public S3ServiceClientConfiguration serviceClientConfiguration() {
    return S3ServiceClientConfiguration.builder().build();
  }

  @Override
  public void close() {}
}
