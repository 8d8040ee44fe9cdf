package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.contract.UploadResult.Status;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.S3MockServer;
import io.uploadstream.testing.SharedStack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Object options through the whole processor, read back from the store: the processor's defaults
 * (upload.cache-control, upload.tags, s3.sse...) on every object, a request's own options over
 * them, a storage class only from the allow-list, and a store without tagging named in the result.
 */
class ObjectOptionsPipelineIT {
  private static final long MIB = 1024 * 1024;
  private static final Instant AT = Instant.parse("2025-11-30T10:00:00Z");

  @TempDir Path files;
  private PipelineFixture pipeline;

  @AfterEach
  void close() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  /** On S3Mock, which keeps tags and storage classes on both paths. */
  @Test
  void defaultsAndRequestOptions_areStoredWithEveryObject() throws Exception {
    S3MockServer s3mock = S3MockServer.shared();
    pipeline =
        new PipelineFixture(
                SharedStack.get().kafka().bootstrapServers(),
                s3mock.endpoint(),
                s3mock.accessKey(),
                s3mock.secretKey(),
                files,
                1)
            .set("upload.part-size", "5MiB")
            .set("upload.cache-control", "public, max-age=31536000, immutable")
            .set("upload.tags", "team=uploads,env=test")
            .set("upload.allowed-storage-classes", "STANDARD_IA")
            .set("s3.sse", "AES256");
    pipeline.startProcessor("options");
    Path small = TestData.randomFile(files.resolve("résumé.pdf"), 2000);
    Path big = TestData.randomFile(files.resolve("video.mp4"), 12 * MIB);
    Path refused = TestData.randomFile(files.resolve("cold.bin"), 10);

    pipeline.publish(
        request(
            "own-options",
            small,
            "no-cache",
            "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
            "STANDARD_IA",
            Map.of("env", "prod", "owner", "alice")));
    pipeline.publish(request("defaults", big, null, null, null, Map.of()));
    pipeline.publish(request("cold", refused, null, null, "DEEP_ARCHIVE", Map.of()));
    Map<String, UploadResult> results = awaitResults(3);

    HeadObjectResponse own = head(results.get("own-options"));
    assertThat(own.cacheControl()).isEqualTo("no-cache");
    assertThat(own.contentDisposition())
        .isEqualTo("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");
    assertThat(own.storageClassAsString()).isEqualTo("STANDARD_IA");
    assertThat(own.serverSideEncryptionAsString()).isEqualTo("AES256");
    assertThat(tags(results.get("own-options")))
        .isEqualTo(Map.of("team", "uploads", "env", "prod", "owner", "alice"));
    UploadResult defaults = results.get("defaults");
    assertThat(defaults.partCount()).isEqualTo(3);
    HeadObjectResponse byDefault = head(defaults);
    assertThat(byDefault.cacheControl()).isEqualTo("public, max-age=31536000, immutable");
    assertThat(byDefault.contentDisposition()).isNull();
    assertThat(tags(defaults)).isEqualTo(Map.of("team", "uploads", "env", "test"));
    UploadResult cold = results.get("cold");
    assertThat(cold.error().code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    assertThat(cold.error().message()).contains("upload.allowed-storage-classes");
  }

  /** S3Proxy, strict, has no tagging: the result names the option instead of dropping it. */
  @Test
  void aStoreWithoutTagging_failsTheRequest_namingTheTags() throws Exception {
    pipeline = PipelineFixture.onSharedStack(files, 1);
    pipeline.startProcessor("no-tags");
    Path file = TestData.randomFile(files.resolve("tagged.txt"), 100);

    pipeline.publish(request("tagged", file, null, null, null, Map.of("team", "uploads")));
    UploadResult result = awaitResults(1).get("tagged");

    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.error().code()).isEqualTo(ErrorCode.STORAGE_ERROR);
    assertThat(result.error().retryable()).isFalse();
    assertThat(result.error().message())
        .contains("501 NotImplemented", "x-amz-tagging (tags / upload.tags)");
    assertThat(pipeline.s3().listObjectsV2(b -> b.bucket(pipeline.bucket)).contents()).isEmpty();
  }

  private static UploadRequest request(
      String id,
      Path file,
      String cacheControl,
      String contentDisposition,
      String storageClass,
      Map<String, String> tags) {
    return new UploadRequest(
        1,
        id,
        file.toString(),
        "opts",
        null,
        null,
        AT,
        Map.of(),
        cacheControl,
        contentDisposition,
        storageClass,
        tags,
        null);
  }

  private Map<String, UploadResult> awaitResults(int count) {
    List<UploadResult> all =
        await()
            .atMost(Duration.ofSeconds(90))
            .until(pipeline::results, results -> results.size() >= count);
    return all.stream()
        .collect(Collectors.toMap(UploadResult::requestId, Function.identity(), (a, b) -> a));
  }

  private HeadObjectResponse head(UploadResult result) {
    assertThat(result.status()).as(result.toString()).isEqualTo(Status.SUCCEEDED);
    return pipeline.s3().headObject(b -> b.bucket(pipeline.bucket).key(result.key()));
  }

  private Map<String, String> tags(UploadResult result) {
    Map<String, String> tags = new TreeMap<>();
    pipeline
        .s3()
        .getObjectTagging(b -> b.bucket(pipeline.bucket).key(result.key()))
        .tagSet()
        .forEach(t -> tags.put(t.key(), t.value()));
    return tags;
  }
}
