package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListPartsRequest;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Paging of both listings, against a store fake that pages as S3 does (S3Proxy ignores {@code
 * max-parts}, so it cannot show that ListParts paging works).
 */
class IncompleteUploadsTest {
  private static final StorageRetry NO_RETRY =
      new StorageRetry(
          new RetrySettings(
              1, java.time.Duration.ofMillis(1), 1.0, java.time.Duration.ofMillis(1), 0.0));

  @Test
  void under_manyPages_followsTheMarkersToTheEnd() {
    PagingStore store = new PagingStore(7, 0, false);

    List<MultipartUpload> uploads = new IncompleteUploads(store, NO_RETRY, 3).under("b", "k");

    assertThat(uploads).extracting(MultipartUpload::uploadId).hasSize(7).doesNotHaveDuplicates();
    assertThat(store.listUploadCalls).isEqualTo(3);
  }

  @Test
  void forEachPage_handsEachPageOverBeforeTheNextIsListed() {
    PagingStore store = new PagingStore(7, 0, false);
    List<String> seen = new ArrayList<>();

    new IncompleteUploads(store, NO_RETRY, 3)
        .forEachPage("b", "k", page -> seen.add(store.listUploadCalls + ":" + page.size()));

    assertThat(seen).containsExactly("1:3", "2:3", "3:1");
  }

  @Test
  void forEachPartsPage_consumerThatHasSeenEnough_stopsTheListing() {
    PagingStore store = new PagingStore(0, 10, false);

    new IncompleteUploads(store, NO_RETRY, 4).forEachPartsPage("b", "k", "u", page -> false);

    assertThat(store.listPartsCalls).isEqualTo(1);
  }

  @Test
  void parts_manyPages_followsThePartNumberMarker() {
    PagingStore store = new PagingStore(0, 10, false);

    List<Part> parts = new IncompleteUploads(store, NO_RETRY, 4).parts("b", "k", "u");

    assertThat(parts)
        .extracting(Part::partNumber)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 10).boxed().toList());
    assertThat(store.listPartsCalls).isEqualTo(3);
  }

  @Test
  void under_truncatedPageWithoutMarker_stopsInsteadOfLooping() {
    PagingStore store = new PagingStore(5, 5, true);

    assertThat(new IncompleteUploads(store, NO_RETRY, 2).under("b", null)).hasSize(2);
    assertThat(new IncompleteUploads(store, NO_RETRY, 2).parts("b", "k", "u")).hasSize(2);
  }

  /** Uploads {@code k-0..} and parts {@code 1..}, served in pages of the requested size. */
  private static final class PagingStore implements S3Client {
    private final List<MultipartUpload> uploads = new ArrayList<>();
    private final List<Part> parts = new ArrayList<>();
    private final boolean omitMarkers;
    int listUploadCalls;
    int listPartsCalls;

    PagingStore(int uploadCount, int partCount, boolean omitMarkers) {
      this.omitMarkers = omitMarkers;
      for (int i = 0; i < uploadCount; i++) {
        uploads.add(MultipartUpload.builder().key("k").uploadId("u-" + i).build());
      }
      for (int n = 1; n <= partCount; n++) {
        parts.add(Part.builder().partNumber(n).size(1L).eTag("e").build());
      }
    }

    @Override
    public ListMultipartUploadsResponse listMultipartUploads(ListMultipartUploadsRequest r) {
      listUploadCalls++;
      int from =
          r.uploadIdMarker() == null
              ? 0
              : Integer.parseInt(r.uploadIdMarker().substring("u-".length())) + 1;
      int to = Math.min(uploads.size(), from + r.maxUploads());
      boolean truncated = to < uploads.size();
      return ListMultipartUploadsResponse.builder()
          .uploads(uploads.subList(from, to))
          .isTruncated(truncated)
          .nextKeyMarker(truncated && !omitMarkers ? "k" : null)
          .nextUploadIdMarker(truncated && !omitMarkers ? uploads.get(to - 1).uploadId() : null)
          .build();
    }

    @Override
    public ListPartsResponse listParts(ListPartsRequest r) {
      listPartsCalls++;
      int from = r.partNumberMarker() == null ? 0 : r.partNumberMarker();
      int to = Math.min(parts.size(), from + r.maxParts());
      boolean truncated = to < parts.size();
      return ListPartsResponse.builder()
          .parts(parts.subList(from, to))
          .isTruncated(truncated)
          .nextPartNumberMarker(truncated && !omitMarkers ? to : null)
          .build();
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
}
