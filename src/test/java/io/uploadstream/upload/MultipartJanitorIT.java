package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadstream.dev.FaultInjectingProxy.Action;
import io.uploadstream.upload.MultipartJanitor.Sweep;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * The janitor against S3Proxy. S3Proxy stamps uploads with the real time, so the janitor's clock is
 * moved instead: a day and an hour ahead, every upload made here is older than the 24 h maximum.
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

    assertThat(sweep).isEqualTo(new Sweep(2, 1, 0));
    assertThat(uploadIds())
        .doesNotContain(orphan)
        .containsExactlyInAnyOrder(owned, outside, lookalike);
  }

  @Test
  void sweep_youngUpload_isKept() {
    String young = createUpload("tmp/young.bin");
    Clock almostADayLater = Clock.offset(Clock.systemUTC(), MAX_AGE.minusMinutes(5));

    Sweep sweep = janitor(List.of("tmp"), Set.of(), almostADayLater).sweep();

    assertThat(sweep).isEqualTo(new Sweep(1, 0, 0));
    assertThat(uploadIds()).containsExactly(young);
  }

  @Test
  void sweep_withoutPrefixes_cleansTheWholeBucket() {
    createUpload("a/old.bin");
    createUpload("b/c/old.bin");
    createUpload("old.bin");

    Sweep sweep = janitor(List.of(), Set.of(), DAY_LATER).sweep();

    assertThat(sweep).isEqualTo(new Sweep(3, 3, 0));
    assertThat(uploadIds()).isEmpty();
  }

  @Test
  void sweep_overlappingPrefixes_abortEachUploadOnce() {
    createUpload("a/b/old.bin");

    Sweep sweep = janitor(List.of("a", "/a/b/"), Set.of(), DAY_LATER).sweep();

    assertThat(sweep).isEqualTo(new Sweep(1, 1, 0));
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

    assertThat(sweep).isEqualTo(new Sweep(2, 1, 1));
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

  @Test
  void sweep_ownedKeysAreAskedForWhenAborting_soAnUploadResumedMeanwhileIsKept() {
    createUpload("tmp/resumed.bin");
    Set<String> ownedNow = new java.util.concurrent.CopyOnWriteArraySet<>();
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
