package io.uploadstream.upload;

import static io.uploadstream.upload.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.keys.RequestIdMetadata;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.s3.S3ConnectionSettings;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * What an object is stored with besides its bytes — Cache-Control, Content-Disposition, storage
 * class, tags, server-side encryption — read back from the store (HEAD, GetObjectTagging) after a
 * single PutObject, a multipart upload and a resumed upload alike; reuse compares them; a store
 * that refuses one answers a STORAGE_ERROR naming it. Run against each store by a subclass; where a
 * store lacks a feature ({@link StoreGap}, each measured by {@code S3CompatibilityIT}) the scenario
 * proves the refusal instead, or is skipped naming the gap.
 */
abstract class ObjectOptionsScenarios {
  static final long SMALL = 1000;
  static final long LARGE = 9 * MIB; // two parts of 8 MiB

  @TempDir Path dir;

  S3Client s3;
  S3Client store;
  ExecutorService partThreads;
  RecordingListener listener;
  String bucket;
  final List<String> operations = new CopyOnWriteArrayList<>();

  abstract S3ConnectionSettings connection();

  /** Where the store departs from S3 in what these scenarios need. */
  abstract Set<StoreGap> gaps();

  /** A KMS key the store accepts (S3Mock: only the id it was started with, not its ARN). */
  String kmsKeyId() {
    return "upload-stream-test-key";
  }

  /** A storage class other than STANDARD that the store keeps. */
  String storageClass() {
    return "STANDARD_IA";
  }

  @BeforeEach
  void createBucket() {
    s3 =
        S3Clients.builder(connection())
            .overrideConfiguration(
                o ->
                    o.retryStrategy(
                            software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())
                        .addExecutionInterceptor(new Operations()))
            .build();
    store = Stores.verifyingClient(connection());
    bucket = "options-" + UUID.randomUUID();
    store.createBucket(b -> b.bucket(bucket));
    partThreads = Executors.newFixedThreadPool(4);
    listener = new RecordingListener();
  }

  @AfterEach
  void close() {
    partThreads.shutdownNow();
    s3.close();
    store.close();
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {SMALL, LARGE})
  void upload_httpHeadersAndStorageClass_areStoredAsAsked(long size) throws Exception {
    Path file = TestFiles.random(dir, "résumé.pdf", size, 101);
    ObjectOptions options =
        new ObjectOptions(
            "public, max-age=31536000, immutable",
            "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
            storageClass(),
            Map.of());

    UploadSucceeded result =
        succeeded(uploader(UploaderSettings.DEFAULTS), spec(file, "h", options));

    assertThat(result.partCount()).isEqualTo(size == LARGE ? 2 : 0);
    HeadObjectResponse head = head("h");
    assertThat(head.cacheControl()).isEqualTo("public, max-age=31536000, immutable");
    assertThat(head.contentDisposition())
        .isEqualTo("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");
    assertThat(head.metadata()).containsEntry(RequestIdMetadata.KEY, "req-h");
    if (size == SMALL || !gaps().contains(StoreGap.MULTIPART_STORAGE_CLASS_DROPPED)) {
      assertThat(head.storageClassAsString()).isEqualTo(storageClass());
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {SMALL, LARGE})
  void upload_tags_goWithTheUploadItself_orTheRefusalNamesThem(long size) throws Exception {
    Path file = TestFiles.random(dir, "tagged.bin", size, 102);
    Map<String, String> tags = new java.util.HashMap<>(Map.of("team", "uploads", "path", "a/b:c"));
    if (!gaps().contains(StoreGap.TAG_VALUES_NOT_DECODED)) {
      tags.put("note", "two words + more");
    }
    ObjectOptions options = new ObjectOptions(null, null, null, tags);

    UploadOutcome outcome = uploader(UploaderSettings.DEFAULTS).upload(spec(file, "t", options));

    assertThat(operations).doesNotContain("PutObjectTagging");
    if (gaps().contains(StoreGap.NO_TAGGING)) {
      assertThat(outcome)
          .isInstanceOfSatisfying(
              UploadFailed.class,
              failed -> {
                assertThat(failed.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
                assertThat(failed.retryable()).isFalse();
                assertThat(failed.message())
                    .contains(
                        "501 NotImplemented",
                        tags.size() + " tags, x-amz-tagging (tags / upload.tags)");
              });
      assertThat(Stores.exists(store, bucket, "t")).isFalse();
      assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
      return;
    }
    assertThat(outcome).isInstanceOf(UploadSucceeded.class);
    assertThat(storedTags("t")).isEqualTo(new TreeMap<>(tags));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {SMALL, LARGE})
  void upload_serverSideEncryption_isStoredAsAsked(long size) throws Exception {
    Path file = TestFiles.random(dir, "secret.bin", size, 103);
    assumeFalse(
        gaps().contains(StoreGap.NO_SERVER_SIDE_ENCRYPTION),
        "the store cannot encrypt: " + StoreGap.NO_SERVER_SIDE_ENCRYPTION);
    assumeFalse(
        size == LARGE && gaps().contains(StoreGap.MULTIPART_SSE_DROPPED),
        "the store drops SSE on multipart uploads: " + StoreGap.MULTIPART_SSE_DROPPED);
    UploaderSettings aes = UploaderSettings.DEFAULTS.withEncryption(sse(Encryption.Mode.AES256));
    UploaderSettings kms =
        UploaderSettings.DEFAULTS.withEncryption(
            new Encryption(Encryption.Mode.AWS_KMS, kmsKeyId()));

    succeeded(uploader(aes), spec(file, "aes", ObjectOptions.NONE));
    succeeded(uploader(kms), spec(file, "kms", ObjectOptions.NONE));

    assertThat(head("aes").serverSideEncryptionAsString()).isEqualTo("AES256");
    HeadObjectResponse kmsHead = head("kms");
    assertThat(kmsHead.serverSideEncryptionAsString()).isEqualTo("aws:kms");
    assertThat(kmsHead.ssekmsKeyId()).endsWith(kmsKeyId());
  }

  @Test
  void upload_unknownKmsKey_failsStorageError_namingTheEncryption_neverTheKey() throws Exception {
    assumeFalse(gaps().contains(StoreGap.UNKNOWN_KMS_KEY_ACCEPTED), "the store accepts any key");
    Path file = TestFiles.random(dir, "secret.bin", SMALL, 104);
    String key = "arn:aws:kms:us-east-1:123456789012:key/no-such-key-4711";
    UploaderSettings kms =
        UploaderSettings.DEFAULTS.withEncryption(new Encryption(Encryption.Mode.AWS_KMS, key));

    UploadOutcome outcome = uploader(kms).upload(spec(file, "unknown-kms", ObjectOptions.NONE));

    assertThat(outcome)
        .isInstanceOfSatisfying(
            UploadFailed.class,
            failed -> {
              assertThat(failed.code()).isEqualTo(ErrorCode.STORAGE_ERROR);
              assertThat(failed.message())
                  .contains("server-side encryption aws:kms with a KMS key")
                  .doesNotContain("no-such-key-4711");
            });
  }

  /**
   * The request delivered again finds its object: identical with the same options (nothing sent),
   * replaced when an option differs (an object with other headers is not "identical").
   */
  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {SMALL, LARGE})
  void reuse_comparesTheOptions(long size) throws Exception {
    Path file = TestFiles.random(dir, "again.bin", size, 105);
    boolean tagging = !gaps().contains(StoreGap.NO_TAGGING);
    Map<String, String> tags = tagging ? Map.of("team", "uploads") : Map.of();
    ObjectOptions first = new ObjectOptions("no-cache", "inline", null, tags);
    ObjectOptions otherHeader = new ObjectOptions("max-age=60", "inline", null, tags);
    MultipartUploader uploader = uploader(UploaderSettings.DEFAULTS);

    UploadSucceeded stored = succeeded(uploader, spec(file, "r", first));
    UploadSucceeded again = succeeded(uploader, spec(file, "r", first));
    UploadSucceeded changed = succeeded(uploader, spec(file, "r", otherHeader));

    assertThat(stored.reused()).isFalse();
    assertThat(again.reused()).as("same options: reused").isTrue();
    assertThat(changed.reused()).as("other Cache-Control: stored again").isFalse();
    assertThat(head("r").cacheControl()).isEqualTo("max-age=60");
    if (tagging) {
      UploadSucceeded retagged =
          succeeded(
              uploader,
              spec(
                  file, "r", new ObjectOptions("max-age=60", "inline", null, Map.of("team", "x"))));
      assertThat(retagged.reused()).as("other tags: stored again").isFalse();
      assertThat(storedTags("r")).containsExactly(Map.entry("team", "x"));
    }
  }

  /**
   * An upload a crashed attempt left with the same options is resumed (only the missing part is
   * sent) and the object carries them; one left with other options (the processor's settings
   * changed since) is completed, found not as asked, and stored again as asked.
   */
  @Test
  void resume_keepsTheOptions_andAnUploadWithOtherOptionsEndsAsAsked() throws Exception {
    Path file = TestFiles.random(dir, "resumed.bin", LARGE, 106);
    ObjectOptions options = new ObjectOptions("private, max-age=60", "inline", null, Map.of());
    startedUpload("same", file, options);
    startedUpload("other", file, new ObjectOptions("no-store", null, null, Map.of()));
    MultipartUploader uploader = uploader(UploaderSettings.DEFAULTS);

    succeeded(uploader, spec(file, "same", options));
    List<Integer> sentForSame = List.copyOf(listener.uploaded);
    succeeded(uploader, spec(file, "other", options));

    assertThat(sentForSame).as("part 1 was stored by the crashed attempt").containsExactly(2);
    assertThat(head("same").cacheControl()).isEqualTo("private, max-age=60");
    assertThat(head("other").cacheControl()).isEqualTo("private, max-age=60");
    assertThat(head("other").contentDisposition()).isEqualTo("inline");
    TestFiles.assertSameBytes(store.getObject(b -> b.bucket(bucket).key("other")), file);
    assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
  }

  /** What a crashed first attempt of {@code spec} left: the upload created, part 1 stored. */
  private void startedUpload(String key, Path file, ObjectOptions options) throws Exception {
    UploadSpec spec = spec(file, key, options);
    MultipartSession session =
        MultipartSession.create(
            s3,
            new StorageRetry(RetrySettings.DEFAULTS),
            spec,
            MultipartUploader.DEFAULT_CONTENT_TYPE,
            UploaderSettings.DEFAULTS);
    byte[] part = java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(file), (int) (8 * MIB));
    session.uploadPart(
        1,
        () -> new java.io.ByteArrayInputStream(part),
        part.length,
        PartChecksum.of(ChecksumAlgorithm.CRC32C, part, part.length),
        StorageRetry.RetryObserver.NONE);
  }

  private static Encryption sse(Encryption.Mode mode) {
    return new Encryption(mode, null);
  }

  MultipartUploader uploader(UploaderSettings settings) {
    return new MultipartUploader(s3, settings, partThreads, listener, Clock.systemUTC());
  }

  UploadSpec spec(Path file, String key, ObjectOptions options) {
    return new UploadSpec("req-" + key, file, bucket, key, null, Map.of(), options);
  }

  UploadSucceeded succeeded(MultipartUploader uploader, UploadSpec spec) throws Exception {
    UploadOutcome outcome = uploader.upload(spec);
    assertThat(outcome).isInstanceOf(UploadSucceeded.class);
    return (UploadSucceeded) outcome;
  }

  HeadObjectResponse head(String key) {
    return store.headObject(b -> b.bucket(bucket).key(key));
  }

  Map<String, String> storedTags(String key) {
    Map<String, String> tags = new TreeMap<>();
    store
        .getObjectTagging(b -> b.bucket(bucket).key(key))
        .tagSet()
        .forEach(t -> tags.put(t.key(), t.value()));
    return tags;
  }

  /** Records the name of every operation the uploader's client sends. */
  private final class Operations implements ExecutionInterceptor {
    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      operations.add(context.request().getClass().getSimpleName().replace("Request", ""));
    }
  }
}
