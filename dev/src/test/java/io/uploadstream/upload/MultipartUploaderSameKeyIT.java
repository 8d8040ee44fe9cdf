package io.uploadstream.upload;

import static io.uploadstream.upload.TestFiles.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.dev.FaultInjectingProxy.Action;
import io.uploadstream.dev.FaultInjectingProxy.Request;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.upload.UploadOutcome.UploadSucceeded;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * One request on two instances at once (a redelivery while a zombie still runs, a lost lock), and a
 * Complete raced by another write. Instance A goes through the proxy, which holds one of its parts
 * until instance B, straight on the store, has finished its upload of the key; so the interleaving
 * is the same on every run. Both must end with one object and the same result.
 */
class MultipartUploaderSameKeyIT extends ProxiedStoreFixture {
  private static final long FILE_SIZE = 50 * MIB;
  private static final String KEY = "same/20250816163104-same.bin";

  /**
   * B resumes A's upload and completes it first. A's next part then meets a completed upload: S3
   * answers NoSuchUpload (S3Proxy would accept the part, so the proxy answers as S3 does).
   */
  @Test
  void upload_otherInstanceResumesAndCompletesTheUpload_succeedsAsReused() throws Exception {
    Path file = TestFiles.random(dir, "same.bin", FILE_SIZE, 50);
    // parts 1 and 2 of A's upload are stored when part 3 is held
    HeldPart held = holdPart(3, Action.error(404, "NoSuchUpload"));
    MultipartUploader a = uploader(settings(8 * MIB));

    FutureTask<UploadOutcome> uploadA = start(() -> a.upload(spec(file, KEY)));
    held.awaitArrival();
    UploadSucceeded b = succeeded(otherInstance().upload(spec(file, KEY)));
    held.release();
    UploadSucceeded resultA = succeeded(uploadA.get(60, TimeUnit.SECONDS));

    assertThat(b.reused()).as("B resumed A's young upload and completed it").isFalse();
    assertThat(resultA.reused()).as("A found its upload gone and the object stored").isTrue();
    assertThat(requests(StoreRequests::isCreateMultipartUpload))
        .as("A never started over")
        .hasSize(1);
    assertStoredBytes(KEY, file);
    assertNoUploadsLeft();
  }

  /**
   * B cannot adopt A's upload (other part sizes), leaves it alone and completes its own first. A's
   * Complete (If-None-Match: *) is refused; A finds its own request's object, which its part plan
   * cannot compare with, and replaces it (If-Match) with a fresh upload.
   */
  @Test
  void upload_otherInstanceWithAnotherPartSize_leavesTheUploadAlone_bothSucceed() throws Exception {
    assumeStoreHasNo(StoreGap.ABORT_DELETES_THE_KEYS_OBJECT);
    Path file = TestFiles.random(dir, "same.bin", FILE_SIZE, 51);
    // part 1 of A's upload is stored when part 2 is held, 5 MiB: B cannot resume it
    HeldPart held = holdPart(2, Action.forward());
    MultipartUploader a = uploader(settings(5 * MIB));

    FutureTask<UploadOutcome> uploadA = start(() -> a.upload(spec(file, KEY)));
    held.awaitArrival();
    List<MultipartUpload> whileAWaits = Stores.incompleteUploads(store, bucket);
    succeeded(otherInstance().upload(spec(file, KEY)));
    List<MultipartUpload> afterB = Stores.incompleteUploads(store, bucket);
    held.release();
    UploadSucceeded resultA = succeeded(uploadA.get(60, TimeUnit.SECONDS));

    assertThat(afterB).as("B did not abort A's upload").isEqualTo(whileAWaits).hasSize(1);
    assertThat(resultA.reused()).isFalse();
    assertThat(resultA.partCount()).isEqualTo(10);
    assertThat(requests(StoreRequests::isCreateMultipartUpload)).hasSize(2);
    assertThat(requests(StoreRequests::isAbortMultipartUpload))
        .as("A's first upload, once its Complete was refused")
        .extracting(StoreRequests::uploadId)
        .containsExactlyElementsOf(whileAWaits.stream().map(MultipartUpload::uploadId).toList());
    assertStoredBytes(KEY, file);
    assertNoUploadsLeft();
  }

  /**
   * B starts while A's upload has no part stored: an upload without parts shows nothing of whose it
   * is, so B leaves it alone and completes its own. A's Complete (If-None-Match: *) is then
   * refused; A finds its own request's object with exactly its bytes, and succeeds as reused.
   */
  @Test
  void upload_otherInstanceStartsBeforeAnyPartIsStored_bothSucceedWithOneObject() throws Exception {
    assumeStoreHasNo(StoreGap.ABORT_DELETES_THE_KEYS_OBJECT);
    Path file = TestFiles.random(dir, "same.bin", FILE_SIZE, 52);
    HeldPart held = holdPart(1, Action.forward());
    MultipartUploader a = uploader(settings(8 * MIB));

    FutureTask<UploadOutcome> uploadA = start(() -> a.upload(spec(file, KEY)));
    held.awaitArrival();
    UploadSucceeded b = succeeded(otherInstance().upload(spec(file, KEY)));
    held.release();
    UploadSucceeded resultA = succeeded(uploadA.get(60, TimeUnit.SECONDS));

    assertThat(b.reused()).isFalse();
    assertThat(resultA.reused()).isTrue();
    assertThat(resultA.etag()).isEqualTo(b.etag());
    assertThat(resultA.checksum()).isEqualTo(b.checksum());
    assertThat(requests(StoreRequests::isCompleteMultipartUpload)).hasSize(1);
    assertThat(requests(StoreRequests::isAbortMultipartUpload))
        .as("A's upload, once its Complete was refused")
        .hasSize(1);
    assertStoredBytes(KEY, file);
    assertNoUploadsLeft();
  }

  /**
   * S3 answers 409 ConditionalRequestConflict when another conditional write of the key raced this
   * Complete, and wants a fresh upload. The key is looked at again and, still free, one fresh
   * upload is sent.
   */
  @Test
  void upload_completeRacedByAnotherWrite409_looksAgain_andSendsOneFreshUpload() throws Exception {
    Path file = TestFiles.random(dir, "raced.bin", 20 * MIB, 53);
    AtomicInteger completes = new AtomicInteger();
    proxy.rule(
        r ->
            StoreRequests.isCompleteMultipartUpload(r) && completes.incrementAndGet() == 1
                ? Action.error(409, "ConditionalRequestConflict")
                : Action.forward());

    UploadSucceeded result = succeeded(uploader(SETTINGS).upload(spec(file, KEY)));

    assertThat(result.reused()).isFalse();
    assertThat(requests(StoreRequests::isCreateMultipartUpload)).hasSize(2);
    assertThat(requests(StoreRequests::isAbortMultipartUpload)).hasSize(1);
    assertThat(requests(StoreRequests::isHeadObject)).as("before, and after the 409").hasSize(2);
    assertStoredBytes(KEY, file);
    assertNoUploadsLeft();
  }

  private static UploaderSettings settings(long partSizeBytes) {
    return new UploaderSettings(partSizeBytes, 1, ChecksumAlgorithm.CRC32C, FAST_RETRY);
  }

  /** Instance B: its own uploader and client, straight on the store, not through the proxy. */
  private MultipartUploader otherInstance() {
    return new MultipartUploader(
        client(S3Clients.builder(direct())),
        SETTINGS,
        partThreads,
        new RecordingListener(),
        Clock.systemUTC());
  }

  private static FutureTask<UploadOutcome> start(java.util.concurrent.Callable<UploadOutcome> a) {
    FutureTask<UploadOutcome> task = new FutureTask<>(a);
    new Thread(task, "instance-a").start();
    return task;
  }

  /** Holds the first UploadPart of {@code partNumber} at the proxy until released, then acts. */
  private HeldPart holdPart(int partNumber, Action onRelease) {
    HeldPart held = new HeldPart();
    proxy.rule(
        r -> {
          if (r.isUploadPart() && r.partNumber() == partNumber && held.arrived.getCount() > 0) {
            held.arrived.countDown();
            held.awaitRelease();
            return onRelease;
          }
          return Action.forward();
        });
    return held;
  }

  private static final class HeldPart {
    final CountDownLatch arrived = new CountDownLatch(1);
    final CountDownLatch released = new CountDownLatch(1);

    void awaitArrival() throws InterruptedException {
      assertThat(arrived.await(30, TimeUnit.SECONDS)).as("the held part arrived").isTrue();
    }

    void release() {
      released.countDown();
    }

    void awaitRelease() {
      try {
        released.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private List<Request> requests(Predicate<Request> kind) {
    return proxy.requests().stream().filter(kind).toList();
  }

  private void assertNoUploadsLeft() {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> allRequests.inFlight() == 0);
    assertThat(Stores.incompleteUploads(store, bucket)).isEmpty();
  }
}
