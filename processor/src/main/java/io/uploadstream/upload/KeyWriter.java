package io.uploadstream.upload;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Stores one file at one key without ever overwriting another request's object there ({@link
 * KeyConflict} decides, {@link WriteCondition} makes the store hold the decision). When the key
 * changes under a write (a conditional write refused, an upload completed or aborted by someone
 * else), it looks at the key again and decides anew, {@value #MAX_DECISIONS} decisions in all: a
 * redelivery of the same request running at the same moment then finds its object stored and reuses
 * it, another request's object makes the key {@link Placement.Taken}.
 *
 * <p>A multipart-sized file is looked at first (reuse, and a conflict found before any byte is
 * sent); a smaller one is put at once with {@code If-None-Match: *} and looked at only when the
 * store refuses that. Without conditional writes every write is preceded by a look.
 */
final class KeyWriter {
  private static final Logger log = LoggerFactory.getLogger(KeyWriter.class);
  static final int MAX_DECISIONS = 2;

  private final SinglePut singlePut;
  private final MultipartTransfer transfer;
  private final ObjectHeads heads;
  private final StoredOptions storedOptions;

  /** Where the file ended: stored (or found stored) at {@code key}, or the key is taken. */
  sealed interface Placement {
    /** {@code placed} of a stored object, or {@code taken} of a key another request holds. */
    <R> R fold(
        Function<? super Placed, ? extends R> placed, Function<? super Taken, ? extends R> taken);

    /** The key another request's object holds, if this placement is one. */
    default Optional<Taken> taken() {
      return fold(placed -> Optional.empty(), Optional::of);
    }

    record Placed(String key, StoredObject stored) implements Placement {
      @Override
      public <R> R fold(
          Function<? super Placed, ? extends R> placed,
          Function<? super Taken, ? extends R> taken) {
        return placed.apply(this);
      }
    }

    record Taken(String key, String why) implements Placement {
      @Override
      public <R> R fold(
          Function<? super Placed, ? extends R> placed,
          Function<? super Taken, ? extends R> taken) {
        return taken.apply(this);
      }
    }
  }

  KeyWriter(S3Client s3, StorageRetry retry) {
    this.singlePut = new SinglePut(s3, retry);
    this.heads = new ObjectHeads(s3, retry);
    this.transfer = new MultipartTransfer(s3, retry, heads);
    this.storedOptions = new StoredOptions(s3, retry);
  }

  /**
   * @param mayResume false when another upload of this uploader targets the key right now
   * @throws StorageException when the store failed, or the key kept changing under the writes
   */
  Placement write(UploadContext upload, PartPlan plan, String contentType, boolean mayResume)
      throws IOException, InterruptedException {
    KeyConflictSettings settings = upload.settings().keyConflicts();
    Optional<HeadObjectResponse> head =
        looksFirst(plan, settings) ? firstLook(upload) : Optional.empty();
    try (Reopenable file = new Reopenable(upload)) {
      for (int decision = 1; ; decision++) {
        UploadContext current = file.current();
        try {
          KeyConflict.Decision next = decide(current, plan, contentType, head);
          Optional<Placement> placement = attempt(current, plan, contentType, next, mayResume);
          if (placement.isPresent()) {
            return placement.get();
          }
          mayResume = false; // the upload adopted was another request's: never adopt one again
        } catch (StorageException e) {
          if (!e.lostRace() || decision >= MAX_DECISIONS) {
            throw e;
          }
          log.info("the key changed under the write, looking again: {}", e.getMessage());
        }
        head = Interruptible.call(() -> heads.find(upload.spec()));
        file.reopen(); // cancelled parts may have closed the channel the last attempt read
      }
    }
  }

  private KeyConflict.Decision decide(
      UploadContext upload, PartPlan plan, String contentType, Optional<HeadObjectResponse> head)
      throws IOException, InterruptedException {
    return Interruptible.call(
        () ->
            KeyConflict.decide(
                head,
                upload.spec().requestId(),
                upload.settings().keyConflicts(),
                found ->
                    ExistingObject.identical(upload, plan, contentType, found, storedOptions)));
  }

  /**
   * Carries out a decision. Empty when an upload left for the key was adopted and completed but
   * turned out to be another request's (S3 cannot say who created an upload, and another request's
   * upload of the very same bytes passes every check of its parts), or to carry other options than
   * this upload's (created by an earlier attempt under other settings, or a store that dropped
   * one). The key then holds that object, and the caller decides again from it: another request's
   * is a conflict, this request's with other options is replaced.
   */
  private Optional<Placement> attempt(
      UploadContext upload,
      PartPlan plan,
      String contentType,
      KeyConflict.Decision decision,
      boolean mayResume)
      throws IOException, InterruptedException {
    String key = upload.spec().key();
    return decision.fold(
        reuse ->
            Optional.of(new Placement.Placed(key, ExistingObject.reused(upload, reuse.head()))),
        write -> write(upload, plan, contentType, write.condition(), mayResume),
        taken -> Optional.of(new Placement.Taken(key, taken.why())));
  }

  private Optional<Placement> write(
      UploadContext upload,
      PartPlan plan,
      String contentType,
      WriteCondition condition,
      boolean mayResume)
      throws IOException, InterruptedException {
    String key = upload.spec().key();
    if (plan.singlePut()) {
      StoredObject stored =
          Interruptible.call(() -> singlePut.send(upload, contentType, condition));
      return Optional.of(new Placement.Placed(key, stored));
    }
    MultipartTransfer.Sent sent = transfer.send(upload, plan, contentType, condition, mayResume);
    if (sent.adopted()) {
      Optional<String> notAsAsked = Interruptible.call(() -> adoptedDifference(upload));
      if (notAsAsked.isPresent()) {
        log.info(
            "the upload resumed at s3://{}/{} {}: deciding again",
            upload.spec().bucket(),
            key,
            notAsAsked.get());
        return Optional.empty();
      }
    }
    return Optional.of(new Placement.Placed(key, sent.stored()));
  }

  /** How the object an adopted upload completed differs from this upload's, if it does. */
  private Optional<String> adoptedDifference(UploadContext upload) {
    Optional<HeadObjectResponse> head = heads.find(upload.spec());
    if (head.isEmpty() || !KeyConflict.isOurs(head.get(), upload.spec().requestId())) {
      return Optional.of("was another request's");
    }
    return storedOptions.difference(upload, head.get()).map(d -> "stored an object that " + d);
  }

  private static boolean looksFirst(PartPlan plan, KeyConflictSettings settings) {
    if (!plan.singlePut()) {
      return true; // reuse saves the whole file, and a conflict is found before any byte is sent
    }
    // A small file is put straight away when the store checks the condition or nothing matters.
    return !settings.conditionalWrites() && settings.onConflict() != OnKeyConflict.OVERWRITE;
  }

  /**
   * The first look. Where the store checks conditions, or anything may be overwritten, a look that
   * fails costs only the reuse; otherwise nothing could be decided, so it fails the upload.
   */
  private Optional<HeadObjectResponse> firstLook(UploadContext upload)
      throws IOException, InterruptedException {
    KeyConflictSettings settings = upload.settings().keyConflicts();
    try {
      return Interruptible.call(() -> heads.find(upload.spec()));
    } catch (StorageException e) {
      if (!settings.conditionalWrites() && settings.onConflict() != OnKeyConflict.OVERWRITE) {
        throw e;
      }
      log.warn("cannot look at s3://{}/{}, uploading: {}", e.bucket(), e.key(), e.getMessage());
      return Optional.empty();
    }
  }

  /** The upload reading its file, or the same file opened again; closes what it opened. */
  private static final class Reopenable implements AutoCloseable {
    private final UploadContext first;
    private SourceFile reopened;

    Reopenable(UploadContext first) {
      this.first = first;
    }

    UploadContext current() {
      return reopened == null ? first : first.withFile(reopened);
    }

    void reopen() throws IOException {
      close();
      reopened = first.file().reopen();
    }

    @Override
    public void close() {
      if (reopened != null) {
        reopened.close();
        reopened = null;
      }
    }
  }
}
