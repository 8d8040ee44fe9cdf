package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.uploadstream.dev.FaultInjectingProxy.Action;
import io.uploadstream.s3.S3Clients;
import io.uploadstream.upload.MultipartJanitor.Sweep;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * The janitor against S3Proxy. S3Proxy stamps uploads and parts with the real time, so the
 * janitor's clock is moved instead: a day and an hour ahead, every upload made here has been idle
 * for longer than the 24 h maximum; set one maximum age after a part was stored, only what was
 * stored before that part looks idle.
 */
class MultipartJanitorIT extends ProxiedStoreFixture {
  private static final Duration MAX_AGE = Duration.ofHours(24);
  private static final Clock DAY_LATER = Clock.offset(Clock.systemUTC(), MAX_AGE.plusHours(1));

  @Test
  void sweep_oldOrphanUnderManagedPrefix_isAborted_andOthersAreKept() {
    String orphan = createUpload("tmp/20250816163104-orphan.bin");
    String owned = createUpload("tmp/20250816163104-owned.bin");
    String outside = createUpload("other/20250816163104-orphan.bin");
    String lookalike = createUpload("tmp2/20250816163104-orphan.bin");

    Sweep sweep =
        janitor(List.of("tmp"), Set.of("tmp/20250816163104-owned.bin"), DAY_LATER).sweep();

    assertThat(sweep).isEqualTo(new Sweep(2, 0, 1, 0));
    assertThat(uploadIds())
        .doesNotContain(orphan)
        .containsExactlyInAnyOrder(owned, outside, lookalike);
  }

  @Test
  void sweep_youngUpload_isKept() {
    String young = createUpload("tmp/young.bin");
    Clock almostADayLater = Clock.offset(Clock.systemUTC(), MAX_AGE.minusMinutes(5));

    Sweep sweep = janitor(List.of("tmp"), Set.of(), almostADayLater).sweep();

    assertThat(sweep).isEqualTo(new Sweep(1, 0, 0, 0));
    assertThat(uploadIds()).containsExactly(young);
  }

  @Test
  void sweep_withoutPrefixes_cleansTheWholeBucket() {
    createUpload("a/old.bin");
    createUpload("b/c/old.bin");
    createUpload("old.bin");

    Sweep sweep = janitor(List.of(), Set.of(), DAY_LATER).sweep();

    assertThat(sweep).isEqualTo(new Sweep(3, 0, 3, 0));
    assertThat(uploadIds()).isEmpty();
  }

  @Test
  void sweep_overlappingPrefixes_abortEachUploadOnce() {
    createUpload("a/b/old.bin");

    Sweep sweep = janitor(List.of("a", "/a/b/"), Set.of(), DAY_LATER).sweep();

    assertThat(sweep).isEqualTo(new Sweep(1, 0, 1, 0));
    assertThat(proxy.requests().stream().filter(StoreRequests::isAbortMultipartUpload)).hasSize(1);
  }

  @Test
  void sweep_abortRefused_isCountedAndTheRestGoesOn() {
    String refused = createUpload("tmp/refused.bin");
    createUpload("tmp/old.bin");
    proxy.rule(
        r ->
            StoreRequests.isAbortMultipartUpload(r) && refused.equals(StoreRequests.uploadId(r))
                ? Action.error(403, "AccessDenied")
                : Action.forward());

    Sweep sweep = janitor(List.of("tmp"), Set.of(), DAY_LATER).sweep();

    assertThat(sweep).isEqualTo(new Sweep(2, 0, 1, 1));
    assertThat(uploadIds()).containsExactly(refused);
  }

  @Test
  void run_storeCannotBeListed_logsAndDoesNotThrow() {
    createUpload("tmp/old.bin");
    proxy.rule(
        r -> StoreRequests.isListMultipartUploads(r) ? Action.internalError() : Action.forward());
    MultipartJanitor janitor = janitor(List.of("tmp"), Set.of(), DAY_LATER);

    assertThatThrownBy(janitor::sweep)
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("ListMultipartUploads");
    janitor.run(); // a scheduled task that threw would never run again
    assertThat(uploadIds()).hasSize(1);
  }

  /** S3Proxy pages ListMultipartUploads by key and upload id, also after the marker is aborted. */
  @Test
  void sweep_pagesOfTwo_eachPageIsCleanedBeforeTheNextIsListed() {
    for (int i = 1; i <= 5; i++) {
      createUpload("tmp/" + i + ".bin");
    }
    MultipartJanitor janitor =
        new MultipartJanitor(
            client(S3Clients.builder(throughProxy())),
            bucket,
            new JanitorSettings(Duration.ofHours(1), MAX_AGE, List.of("tmp")),
            FAST_RETRY,
            Set::of,
            DAY_LATER,
            2);

    Sweep sweep = janitor.sweep();

    assertThat(sweep).isEqualTo(new Sweep(5, 0, 5, 0));
    assertThat(uploadIds()).isEmpty();
    assertThat(
            proxy.requests().stream()
                .filter(
                    r ->
                        StoreRequests.isListMultipartUploads(r)
                            || StoreRequests.isAbortMultipartUpload(r))
                .map(r -> StoreRequests.isListMultipartUploads(r) ? "list" : "abort"))
        .containsExactly("list", "abort", "abort", "list", "abort", "abort", "list", "abort");
  }

  @Test
  void sweep_ownedKeysAreAskedForWhenAborting_soAnUploadResumedMeanwhileIsKept() {
    createUpload("tmp/resumed.bin");
    Set<String> ownedNow = new CopyOnWriteArraySet<>();
    MultipartJanitor janitor =
        new MultipartJanitor(
            client(S3Clients.builder(throughProxy())),
            bucket,
            new JanitorSettings(Duration.ofHours(1), MAX_AGE, List.of("tmp")),
            FAST_RETRY,
            () -> Set.copyOf(ownedNow),
            DAY_LATER);
    proxy.rule(
        r -> {
          if (StoreRequests.isListMultipartUploads(r)) {
            ownedNow.add("tmp/resumed.bin"); // an upload of this key starts while listing
          }
          return Action.forward();
        });

    assertThat(janitor.sweep().aborted()).isZero();
  }

  /**
   * Two instances, each an uploader and a janitor. A's upload was initiated more than the maximum
   * age ago by B's clock, but it stored a part within the maximum age and is still sending the
   * next: B's janitor, which knows nothing of A's keys, keeps it, and aborts the idle uploads
   * beside it. The clock is moved, not the rule: B looks at the store's own timestamps one maximum
   * age later, so the live upload's initiation is older than the maximum age and its part younger
   * (S3Proxy stamps parts to the second; part 1 is held 2 s so it lands a second later).
   */
  @Test
  void sweep_otherInstancesUploadStillReceivingParts_isKept_idleOnesAreAborted() throws Exception {
    String idleEmpty = createUpload("tmp/idle-empty.bin");
    String idleWithPart = createUpload("tmp/idle-part.bin");
    store.uploadPart(
        b -> b.bucket(bucket).key("tmp/idle-part.bin").uploadId(idleWithPart).partNumber(1),
        RequestBody.fromString("old part"));
    CountDownLatch sendPart2 = new CountDownLatch(1);
    proxy.rule(
        r -> {
          if (!r.isUploadPart()) {
            return Action.forward();
          }
          if (r.partNumber() == 1) {
            return Action.stall(Duration.ofSeconds(2));
          }
          awaitQuietly(sendPart2);
          return Action.forward();
        });
    UploaderSettings onePartAtATime =
        new UploaderSettings(8 * TestFiles.MIB, 1, ChecksumAlgorithm.CRC32C, FAST_RETRY);
    MultipartUploader uploaderA = uploader(onePartAtATime);
    MultipartUploader uploaderB = uploader(onePartAtATime);
    Path file = TestFiles.random(dir, "live.bin", 9 * TestFiles.MIB, 7);
    String liveKey = "tmp/live.bin";
    CompletableFuture<UploadOutcome> liveUpload =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return uploaderA.upload(spec(file, liveKey));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    MultipartUpload live =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> partsStored(liveKey), uploads -> uploads.isPresent())
            .orElseThrow();
    Instant part1Stored =
        store
            .listParts(b -> b.bucket(bucket).key(liveKey).uploadId(live.uploadId()))
            .parts()
            .get(0)
            .lastModified();
    Clock oneMaxAgeLater = Clock.fixed(part1Stored.plus(MAX_AGE).minusMillis(500), ZoneOffset.UTC);
    assertThat(Duration.between(live.initiated(), oneMaxAgeLater.instant()))
        .as("by B's clock the live upload was initiated more than the maximum age ago")
        .isGreaterThan(MAX_AGE);

    Sweep byB;
    Sweep byA;
    try {
      byB = janitor(List.of("tmp"), uploaderB::keysInFlight, oneMaxAgeLater).sweep();
      byA = janitor(List.of("tmp"), uploaderA::keysInFlight, oneMaxAgeLater).sweep();
    } finally {
      sendPart2.countDown(); // part 2 goes on only now: the sweeps ran while A was mid-way
    }

    assertThat(uploaderB.keysInFlight()).as("B's janitor cannot know A's key").isEmpty();
    assertThat(byB).isEqualTo(new Sweep(3, 1, 2, 0));
    assertThat(byA)
        .as("A's janitor too keeps it for its recent part")
        .isEqualTo(new Sweep(1, 1, 0, 0));
    assertThat(succeeded(liveUpload.get(60, TimeUnit.SECONDS)).key()).isEqualTo(liveKey);
    assertThat(proxy.requests().stream().filter(StoreRequests::isCreateMultipartUpload))
        .as("the live upload ran to its end, not restarted after an abort")
        .hasSize(1);
    assertThat(proxy.requests().stream().filter(StoreRequests::isAbortMultipartUpload))
        .extracting(StoreRequests::uploadId)
        .containsExactlyInAnyOrder(idleEmpty, idleWithPart);
    assertStoredBytes(liveKey, file);
    assertThat(uploadIds()).isEmpty();
  }

  private Optional<MultipartUpload> partsStored(String key) {
    return Stores.incompleteUploads(store, bucket).stream()
        .filter(u -> u.key().equals(key))
        .filter(
            u ->
                !store
                    .listParts(b -> b.bucket(bucket).key(key).uploadId(u.uploadId()))
                    .parts()
                    .isEmpty())
        .findFirst();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private MultipartJanitor janitor(
      List<String> prefixes, Supplier<Set<String>> owned, Clock clock) {
    return new MultipartJanitor(
        client(S3Clients.builder(throughProxy())),
        bucket,
        new JanitorSettings(Duration.ofHours(1), MAX_AGE, prefixes),
        FAST_RETRY,
        owned,
        clock);
  }

  private MultipartJanitor janitor(List<String> prefixes, Set<String> owned, Clock clock) {
    return new MultipartJanitor(
        client(S3Clients.builder(throughProxy())),
        bucket,
        new JanitorSettings(Duration.ofHours(1), MAX_AGE, prefixes),
        FAST_RETRY,
        () -> owned,
        clock);
  }

  private String createUpload(String key) {
    return store.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
  }

  private List<String> uploadIds() {
    return Stores.incompleteUploads(store, bucket).stream().map(MultipartUpload::uploadId).toList();
  }
}
