package io.uploadstream.upload;

import io.uploadstream.keys.RequestIdMetadata;
import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * What to do with an upload's key, given what a HeadObject found there: the rule that no request
 * ever overwrites another request's object (unless {@code upload.on-key-conflict=overwrite}). Whose
 * an object is, is its {@link RequestIdMetadata} entry; an object without one (stored by anything
 * else) belongs to another request.
 */
final class KeyConflict {
  private KeyConflict() {}

  /** What the upload does at the key; {@link #fold} names every case. */
  sealed interface Decision {
    <R> R fold(Case<Reuse, R> reuse, Case<Write, R> write, Case<Taken, R> taken)
        throws IOException, InterruptedException;
  }

  /** What a caller does with one kind of decision: it may talk to the store. */
  @FunctionalInterface
  interface Case<D extends Decision, R> {
    R apply(D decision) throws IOException, InterruptedException;
  }

  /** The key holds exactly this file, stored by this request: nothing to send. */
  record Reuse(HeadObjectResponse head) implements Decision {
    @Override
    public <R> R fold(Case<Reuse, R> reuse, Case<Write, R> write, Case<Taken, R> taken)
        throws IOException, InterruptedException {
      return reuse.apply(this);
    }
  }

  /** Write the file, under this condition. */
  record Write(WriteCondition condition) implements Decision {
    @Override
    public <R> R fold(Case<Reuse, R> reuse, Case<Write, R> write, Case<Taken, R> taken)
        throws IOException, InterruptedException {
      return write.apply(this);
    }
  }

  /** The key holds another request's object; it stays. */
  record Taken(String why) implements Decision {
    @Override
    public <R> R fold(Case<Reuse, R> reuse, Case<Write, R> write, Case<Taken, R> taken)
        throws IOException, InterruptedException {
      return taken.apply(this);
    }
  }

  /** Whether the object found is exactly the file to upload (reads the file, so last). */
  @FunctionalInterface
  interface Identity {
    boolean identical(HeadObjectResponse head) throws IOException;
  }

  static Decision decide(
      Optional<HeadObjectResponse> head,
      String requestId,
      KeyConflictSettings settings,
      Identity identity)
      throws IOException {
    boolean byStore = settings.conditionalWrites();
    boolean overwrite = settings.onConflict() == OnKeyConflict.OVERWRITE;
    if (head.isEmpty()) {
      // Nothing there (yet): claim the key, unless whatever is there by then may be replaced.
      return new Write(overwrite ? WriteCondition.UNCONDITIONAL : WriteCondition.noObject(byStore));
    }
    boolean ours = isOurs(head.get(), requestId);
    if (ours && identity.identical(head.get())) {
      return new Reuse(head.get()); // a redelivery whose object is stored already
    }
    if (overwrite) {
      return new Write(WriteCondition.UNCONDITIONAL); // the user chose to replace anything
    }
    if (!ours) {
      return new Taken(owner(head.get())); // another request's object is never overwritten
    }
    // This request's own object with other content (the file changed since): replace it, but
    // only while it is still that object.
    return new Write(WriteCondition.thisEtag(head.get().eTag(), byStore));
  }

  /** Whether the object was stored by the request {@code requestId}. */
  static boolean isOurs(HeadObjectResponse head, String requestId) {
    return RequestIdMetadata.of(head.metadata())
        .filter(RequestIdMetadata.value(requestId)::equals)
        .isPresent();
  }

  /** Says whose the object is without naming the other request (results are not theirs). */
  private static String owner(HeadObjectResponse head) {
    return RequestIdMetadata.of(head.metadata()).isPresent()
        ? "it holds another request's object"
        : "it holds an object that names no request (stored by another program, or before"
            + " upload-stream recorded request ids)";
  }
}
