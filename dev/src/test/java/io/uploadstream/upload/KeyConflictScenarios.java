package io.uploadstream.upload;

import static io.uploadstream.upload.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.uploadstream.contract.ErrorCode;
import io.uploadstream.keys.ObjectKeys;
import io.uploadstream.keys.RequestIdMetadata;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.s3.S3ConnectionSettings;
import io.uploadstream.upload.UploadOutcome.UploadFailed;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One key, two requests: what the store answers to conditional writes, and what the uploader does
 * with a key that holds (or gets, mid-upload) another request's object, in every {@code
 * upload.on-key-conflict} mode and without conditional writes. Run against each store by a subclass
 * (S3Proxy in-process here; MinIO where Docker runs). Files are 1 KiB (one PutObject) or 12 MiB
 * (three parts of 5 MiB).
 */
abstract class KeyConflictScenarios {
  static final long SMALL = 1024;
  static final long MULTIPART = 12 * MIB;
  private static final UploaderSettings SETTINGS =
      new UploaderSettings(5 * MIB, 4, ChecksumAlgorithm.CRC32C, RetrySettings.DEFAULTS);
  private static final KeyConflictSettings FAIL = KeyConflictSettings.DEFAULTS;
  private static final String KEY = "avatars/20250816163104-photo.jpg";

  @TempDir Path dir;
  S3Client s3;
  S3Client store;
  ExecutorService partThreads;
  RecordingListener listener;
  String bucket;

  abstract S3ConnectionSettings connection();

  /** Where the store departs from S3 in ways some scenarios depend on (none for S3 itself). */
  Set<StoreGap> gaps() {
    return StoreGap.NONE;
  }

  void assumeStoreHasNo(StoreGap gap) {
    assumeFalse(gaps().contains(gap), () -> "the store has the gap " + gap);
  }

  @BeforeEach
  void createBucket() {
    s3 = S3Clients.create(connection());
    store = Stores.verifyingClient(connection());
    bucket = "conflict-" + UUID.randomUUID();
    store.createBucket(b -> b.bucket(bucket));
    partThreads = Executors.newFixedThreadPool(8);
    listener = new RecordingListener();
  }

  @AfterEach
  void closeClients() {
    partThreads.shutdownNow();
    s3.close();
    store.close();
  }

  // What the store answers: the uploader relies on these.

  @Test
  void store_putIfNoneMatchOnATakenKey_answers412() {
    store.putObject(b -> b.bucket(bucket).key(KEY), RequestBody.fromString("first"));

    assertThatThrownBy(
            () ->
                store.putObject(
                    b -> b.bucket(bucket).key(KEY).ifNoneMatch("*"),
                    RequestBody.fromString("second")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
    assertThat(store.getObjectAsBytes(b -> b.bucket(bucket).key(KEY)).asUtf8String())
        .isEqualTo("first");
  }

  @Test
  void store_putIfMatchWithAnotherEtag_answers412_withItsEtag_replaces() {
    String etag =
        store.putObject(b -> b.bucket(bucket).key(KEY), RequestBody.fromString("first")).eTag();

    assertThatThrownBy(
            () ->
                store.putObject(
                    b -> b.bucket(bucket).key(KEY).ifMatch("\"0123456789abcdef0123456789abcdef\""),
                    RequestBody.fromString("second")))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
    store.putObject(b -> b.bucket(bucket).key(KEY).ifMatch(etag), RequestBody.fromString("third"));
    assertThat(store.getObjectAsBytes(b -> b.bucket(bucket).key(KEY)).asUtf8String())
        .isEqualTo("third");
  }

  @Test
  void store_completeIfNoneMatchOnATakenKey_answers412_andTheObjectStays() throws Exception {
    store.putObject(b -> b.bucket(bucket).key(KEY), RequestBody.fromString("first"));
    String uploadId = store.createMultipartUpload(b -> b.bucket(bucket).key(KEY)).uploadId();
    String etag =
        store
            .uploadPart(
                b -> b.bucket(bucket).key(KEY).uploadId(uploadId).partNumber(1),
                RequestBody.fromString("part"))
            .eTag();
    CompletedPart part = CompletedPart.builder().partNumber(1).eTag(etag).build();

    assertThatThrownBy(
            () ->
                store.completeMultipartUpload(
                    b ->
                        b.bucket(bucket)
                            .key(KEY)
                            .uploadId(uploadId)
                            .ifNoneMatch("*")
                            .multipartUpload(m -> m.parts(part))))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
    assertThat(store.getObjectAsBytes(b -> b.bucket(bucket).key(KEY)).asUtf8String())
        .isEqualTo("first");
    store.abortMultipartUpload(b -> b.bucket(bucket).key(KEY).uploadId(uploadId));
  }

  // Another request's object at the key.

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {SMALL, MULTIPART})
  void upload_keyHoldsAnotherRequestsObject_failsKeyConflict_andLeavesItUntouched(long size)
      throws Exception {
    Path theirs = TestFiles.random(dir, "theirs.jpg", size, 1);
    Path ours = TestFiles.random(dir, "ours.jpg", size, 2);
    succeeded(uploader(FAIL).upload(spec("req-theirs", theirs, KEY)));
    RecordingListener second = new RecordingListener();

    UploadFailed failed = failed(uploader(FAIL, second).upload(spec("req-ours", ours, KEY)));

    assertThat(failed.code()).isEqualTo(ErrorCode.KEY_CONFLICT);
    assertThat(failed.retryable()).isFalse();
    assertThat(failed.message()).contains(KEY).doesNotContain("req-theirs");
    if (size == MULTIPART) {
      assertThat(second.started).as("no part sent: the conflict is found first").isEmpty();
    }
    assertStoredBytes(KEY, theirs);
    assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
  }

  @Test
  void upload_keyHoldsAnObjectNamingNoRequest_failsKeyConflict() throws Exception {
    Path ours = TestFiles.random(dir, "ours.jpg", SMALL, 3);
    store.putObject(b -> b.bucket(bucket).key(KEY), RequestBody.fromString("someone else's"));

    UploadFailed failed = failed(uploader(FAIL).upload(spec("req-ours", ours, KEY)));

    assertThat(failed.code()).isEqualTo(ErrorCode.KEY_CONFLICT);
    assertThat(failed.message()).contains("names no request");
    assertThat(store.getObjectAsBytes(b -> b.bucket(bucket).key(KEY)).asUtf8String())
        .isEqualTo("someone else's");
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {SMALL, MULTIPART})
  void upload_renameMode_otherRequestsObject_storesAtTheRenamedKey_theSameEveryTime(long size)
      throws Exception {
    KeyConflictSettings rename = new KeyConflictSettings(OnKeyConflict.RENAME, true);
    Path theirs = TestFiles.random(dir, "theirs.jpg", size, 4);
    Path ours = TestFiles.random(dir, "ours.jpg", size, 5);
    succeeded(uploader(rename).upload(spec("req-theirs", theirs, KEY)));

    UploadSucceeded first = succeeded(uploader(rename).upload(spec("req-ours", ours, KEY)));
    UploadSucceeded again = succeeded(uploader(rename).upload(spec("req-ours", ours, KEY)));

    String renamed = ObjectKeys.renamed(KEY, "req-ours");
    assertThat(renamed).matches("avatars/20250816163104-photo-[0-9a-f]{8}\\.jpg");
    assertThat(first.key()).isEqualTo(renamed);
    assertThat(again.key()).as("a redelivery ends on the same key").isEqualTo(renamed);
    assertThat(again.reused()).isTrue();
    assertStoredBytes(KEY, theirs);
    assertStoredBytes(renamed, ours);
    assertThat(requestIdOf(KEY)).isEqualTo("req-theirs");
    assertThat(requestIdOf(renamed)).isEqualTo("req-ours");
  }

  @Test
  void upload_renameMode_renamedKeyTakenToo_failsKeyConflictNamingBoth() throws Exception {
    KeyConflictSettings rename = new KeyConflictSettings(OnKeyConflict.RENAME, true);
    String renamed = ObjectKeys.renamed(KEY, "req-ours");
    store.putObject(b -> b.bucket(bucket).key(KEY), RequestBody.fromString("one"));
    store.putObject(b -> b.bucket(bucket).key(renamed), RequestBody.fromString("two"));
    Path ours = TestFiles.random(dir, "ours.jpg", SMALL, 6);

    UploadFailed failed = failed(uploader(rename).upload(spec("req-ours", ours, KEY)));

    assertThat(failed.code()).isEqualTo(ErrorCode.KEY_CONFLICT);
    assertThat(failed.message()).contains(KEY).contains(renamed);
  }

  /** The behaviour before conflicts were detected, for users who ask for it. */
  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {SMALL, MULTIPART})
  void upload_overwriteMode_replacesAnotherRequestsObject(long size) throws Exception {
    KeyConflictSettings overwrite = new KeyConflictSettings(OnKeyConflict.OVERWRITE, true);
    Path theirs = TestFiles.random(dir, "theirs.jpg", size, 7);
    Path ours = TestFiles.random(dir, "ours.jpg", size, 8);
    succeeded(uploader(overwrite).upload(spec("req-theirs", theirs, KEY)));

    UploadSucceeded result = succeeded(uploader(overwrite).upload(spec("req-ours", ours, KEY)));

    assertThat(result.key()).isEqualTo(KEY);
    assertStoredBytes(KEY, ours);
    assertThat(requestIdOf(KEY)).isEqualTo("req-ours");
  }

  // The same request again.

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {SMALL, MULTIPART})
  void upload_sameRequestAgain_reusesItsObject(long size) throws Exception {
    Path file = TestFiles.random(dir, "photo.jpg", size, 9);
    UploadSucceeded first = succeeded(uploader(FAIL).upload(spec("req-1", file, KEY)));

    UploadSucceeded again = succeeded(uploader(FAIL).upload(spec("req-1", file, KEY)));

    assertThat(again.reused()).isTrue();
    assertThat(again.etag()).isEqualTo(first.etag());
    assertThat(again.checksum()).isEqualTo(first.checksum());
    assertStoredBytes(KEY, file);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {SMALL, MULTIPART})
  void upload_sameRequestWithTheFileChanged_replacesItsOwnObject(long size) throws Exception {
    Path file = TestFiles.random(dir, "photo.jpg", size, 10);
    succeeded(uploader(FAIL).upload(spec("req-1", file, KEY)));
    Files.write(file, Files.readAllBytes(TestFiles.random(dir, "newer.jpg", size, 11)));

    UploadSucceeded again = succeeded(uploader(FAIL).upload(spec("req-1", file, KEY)));

    assertThat(again.reused()).isFalse();
    assertStoredBytes(KEY, file);
    assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
  }

  // Another request writes the key while this one uploads.

  /**
   * The other request's object arrives after the key was found free: the store refuses Complete (or
   * the PutObject) with 412, the upload is aborted and the key looked at again.
   */
  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {SMALL, MULTIPART})
  void upload_anotherRequestWritesTheKeyMidUpload_failsKeyConflict_leavesNoUpload(long size)
      throws Exception {
    if (size == MULTIPART) {
      assumeStoreHasNo(StoreGap.ABORT_DELETES_THE_KEYS_OBJECT);
    }
    Path ours = TestFiles.random(dir, "ours.jpg", size, 12);
    MultipartUploader uploader = uploader(FAIL, theirsArrivesWithPart(1));

    UploadFailed failed = failed(uploader.upload(spec("req-ours", ours, KEY)));

    assertThat(failed.code()).isEqualTo(ErrorCode.KEY_CONFLICT);
    assertThat(store.getObjectAsBytes(b -> b.bucket(bucket).key(KEY)).asUtf8String())
        .isEqualTo("theirs");
    assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
  }

  @Test
  void upload_renameMode_anotherRequestWritesTheKeyMidUpload_storesAtTheRenamedKey()
      throws Exception {
    assumeStoreHasNo(StoreGap.ABORT_DELETES_THE_KEYS_OBJECT);
    Path ours = TestFiles.random(dir, "ours.jpg", MULTIPART, 20);
    KeyConflictSettings rename = new KeyConflictSettings(OnKeyConflict.RENAME, true);

    UploadSucceeded result =
        succeeded(uploader(rename, theirsArrivesWithPart(1)).upload(spec("req-ours", ours, KEY)));

    String renamed = ObjectKeys.renamed(KEY, "req-ours");
    assertThat(result.key()).isEqualTo(renamed);
    assertStoredBytes(renamed, ours);
    assertThat(store.getObjectAsBytes(b -> b.bucket(bucket).key(KEY)).asUtf8String())
        .isEqualTo("theirs");
    assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
  }

  /**
   * Without conditional writes a HeadObject right before Complete finds the other request's object.
   * (A file sent in one PutObject has only the HEAD before it: a window of milliseconds.)
   */
  @Test
  void upload_conditionalWritesOff_anotherRequestWritesTheKeyMidUpload_failsKeyConflict()
      throws Exception {
    assumeStoreHasNo(StoreGap.ABORT_DELETES_THE_KEYS_OBJECT);
    Path ours = TestFiles.random(dir, "ours.jpg", MULTIPART, 13);
    KeyConflictSettings headOnly = new KeyConflictSettings(OnKeyConflict.FAIL, false);

    UploadFailed failed =
        failed(uploader(headOnly, theirsArrivesWithPart(1)).upload(spec("req-ours", ours, KEY)));

    assertThat(failed.code()).isEqualTo(ErrorCode.KEY_CONFLICT);
    assertThat(store.getObjectAsBytes(b -> b.bucket(bucket).key(KEY)).asUtf8String())
        .isEqualTo("theirs");
    assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {SMALL, MULTIPART})
  void upload_conditionalWritesOff_keyConflictAndReuseStillDecided(long size) throws Exception {
    KeyConflictSettings headOnly = new KeyConflictSettings(OnKeyConflict.FAIL, false);
    Path theirs = TestFiles.random(dir, "theirs.jpg", size, 14);
    Path ours = TestFiles.random(dir, "ours.jpg", size, 15);
    succeeded(uploader(headOnly).upload(spec("req-theirs", theirs, KEY)));

    UploadFailed conflict = failed(uploader(headOnly).upload(spec("req-ours", ours, KEY)));
    UploadSucceeded again = succeeded(uploader(headOnly).upload(spec("req-theirs", theirs, KEY)));

    assertThat(conflict.code()).isEqualTo(ErrorCode.KEY_CONFLICT);
    assertThat(again.reused()).isTrue();
    assertStoredBytes(KEY, theirs);
  }

  // Incomplete uploads of another request.

  @Test
  void upload_anotherRequestsUploadOfTheKey_withNoPart_orOtherBytes_isNeitherAdoptedNorAborted()
      throws Exception {
    Path ours = TestFiles.random(dir, "ours.jpg", MULTIPART, 16);
    Path theirs = TestFiles.random(dir, "theirs.jpg", MULTIPART, 17);
    String empty = othersUpload();
    String started = othersUpload();
    byte[] theirFirstPart = firstPart(theirs);
    store.uploadPart(
        b -> b.bucket(bucket).key(KEY).uploadId(started).partNumber(1),
        RequestBody.fromBytes(theirFirstPart));

    UploadSucceeded result = succeeded(uploader(FAIL).upload(spec("req-ours", ours, KEY)));

    assertThat(listener.resumed).isEmpty();
    assertThat(result.partCount()).isEqualTo(3);
    assertStoredBytes(KEY, ours);
    assertThat(requestIdOf(KEY)).isEqualTo("req-ours");
    assertThat(Stores.incompleteUploads(store, bucket))
        .extracting(MultipartUpload::uploadId)
        .containsExactlyInAnyOrder(empty, started);
    store.listParts(b -> b.bucket(bucket).key(KEY).uploadId(started)).parts().stream()
        .forEach(p -> assertThat(p.partNumber()).as("nothing sent into their upload").isEqualTo(1));
  }

  /**
   * S3 cannot say who created an upload: another request's upload of the very same bytes passes
   * every check of its parts and is adopted. The object completed from it is the other request's,
   * which the uploader sees afterwards, and answers as any conflict.
   */
  @ParameterizedTest
  @ValueSource(strings = {"FAIL", "RENAME"})
  void upload_adoptedUploadWasAnotherRequestsOfTheSameBytes_answersAsAKeyConflict(
      OnKeyConflict onConflict) throws Exception {
    Path file = TestFiles.random(dir, "same.jpg", MULTIPART, 19);
    String theirs = othersUpload();
    store.uploadPart(
        b -> b.bucket(bucket).key(KEY).uploadId(theirs).partNumber(1),
        RequestBody.fromBytes(firstPart(file)));
    KeyConflictSettings settings = new KeyConflictSettings(onConflict, true);

    UploadOutcome outcome = uploader(settings).upload(spec("req-ours", file, KEY));

    assertThat(listener.resumed).as("their upload was adopted").containsExactly(1);
    assertThat(requestIdOf(KEY)).isEqualTo("req-theirs");
    assertStoredBytes(KEY, file);
    if (onConflict == OnKeyConflict.FAIL) {
      assertThat(failed(outcome).code()).isEqualTo(ErrorCode.KEY_CONFLICT);
    } else {
      String renamed = ObjectKeys.renamed(KEY, "req-ours");
      assertThat(succeeded(outcome).key()).isEqualTo(renamed);
      assertThat(requestIdOf(renamed)).isEqualTo("req-ours");
      assertStoredBytes(renamed, file);
    }
    assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
  }

  // Two instances on the same request at once.

  @Test
  void upload_sameRequestOnTwoUploadersAtOnce_bothSucceedWithOneObject() throws Exception {
    Path file = TestFiles.random(dir, "photo.jpg", 4 * MULTIPART, 18);
    MultipartUploader a = uploader(FAIL);
    MultipartUploader b = uploader(FAIL);
    ExecutorService instances = Executors.newFixedThreadPool(2);

    Future<UploadOutcome> first = instances.submit(() -> a.upload(spec("req-1", file, KEY)));
    Future<UploadOutcome> second = instances.submit(() -> b.upload(spec("req-1", file, KEY)));
    UploadSucceeded resultA = succeeded(first.get(60, TimeUnit.SECONDS));
    UploadSucceeded resultB = succeeded(second.get(60, TimeUnit.SECONDS));
    instances.shutdown();

    assertThat(resultA.key()).isEqualTo(resultB.key()).isEqualTo(KEY);
    assertThat(resultA.etag()).isEqualTo(resultB.etag());
    assertThat(resultA.checksum()).isEqualTo(resultB.checksum());
    assertStoredBytes(KEY, file);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Stores.incompleteUploads(store, bucket).isEmpty());
  }

  // Helpers.

  MultipartUploader uploader(KeyConflictSettings keyConflicts) {
    return uploader(keyConflicts, listener);
  }

  MultipartUploader uploader(KeyConflictSettings keyConflicts, UploadListener observer) {
    return new MultipartUploader(
        s3, SETTINGS.withKeyConflicts(keyConflicts), partThreads, observer, Clock.systemUTC());
  }

  /** A listener that stores another request's object at the key as part {@code n} starts. */
  private UploadListener theirsArrivesWithPart(int n) {
    AtomicBoolean arrived = new AtomicBoolean();
    return new RecordingListener() {
      @Override
      public void partStarted(UploadSpec spec, int partNumber, long sizeBytes) {
        if (partNumber == n && arrived.compareAndSet(false, true)) {
          store.putObject(
              b -> b.bucket(bucket).key(KEY).metadata(Map.of(RequestIdMetadata.KEY, "req-theirs")),
              RequestBody.fromString("theirs"));
        }
        super.partStarted(spec, partNumber, sizeBytes);
      }
    };
  }

  /** An upload of the key as another request's processor would have created it. */
  private String othersUpload() {
    return store
        .createMultipartUpload(
            b ->
                b.bucket(bucket)
                    .key(KEY)
                    .metadata(Map.of(RequestIdMetadata.KEY, "req-theirs"))
                    .checksumAlgorithm(
                        software.amazon.awssdk.services.s3.model.ChecksumAlgorithm.CRC32_C))
        .uploadId();
  }

  UploadSpec spec(String requestId, Path file, String key) {
    return new UploadSpec(requestId, file, bucket, key, "image/jpeg", Map.of());
  }

  String requestIdOf(String key) {
    return store.headObject(b -> b.bucket(bucket).key(key)).metadata().get(RequestIdMetadata.KEY);
  }

  static UploadSucceeded succeeded(UploadOutcome outcome) {
    assertThat(outcome).isInstanceOf(UploadSucceeded.class);
    return (UploadSucceeded) outcome;
  }

  static UploadFailed failed(UploadOutcome outcome) {
    assertThat(outcome).isInstanceOf(UploadFailed.class);
    return (UploadFailed) outcome;
  }

  void assertStoredBytes(String key, Path file) throws Exception {
    TestFiles.assertSameBytes(store.getObject(b -> b.bucket(bucket).key(key)), file);
  }

  /** The first 5 MiB part of a file, as the other request's processor would have sent it. */
  private static byte[] firstPart(Path file) throws IOException {
    return Arrays.copyOf(Files.readAllBytes(file), (int) SETTINGS.partSizeBytes());
  }
}
