package io.uploadstream.processor;

import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import java.util.Optional;
import java.util.function.Function;

/** How an {@link UploadJob} ended: the request answered, or handed to the large-file lane. */
sealed interface JobOutcome {

  /** {@code answered} of an answered request, or {@code handedOff} of one handed on. */
  <R> R fold(
      Function<? super Answered, ? extends R> answered,
      Function<? super HandedOff, ? extends R> handedOff);

  /**
   * Served here: stored, refused or failed; {@code afterCommit} is the source file to delete once
   * the result is committed, never before.
   */
  record Answered(UploadResult result, Optional<SourceDeletion> afterCommit) implements JobOutcome {
    static Answered of(UploadResult result) {
      return new Answered(result, Optional.empty());
    }

    @Override
    public <R> R fold(
        Function<? super Answered, ? extends R> answered,
        Function<? super HandedOff, ? extends R> handedOff) {
      return answered.apply(this);
    }
  }

  /**
   * The file is large: the request goes to the large-request topic, its {@code requestedAt} set
   * (from the original record's timestamp if it had none), so it maps to the same key there.
   */
  record HandedOff(UploadRequest request, long sizeBytes) implements JobOutcome {
    @Override
    public <R> R fold(
        Function<? super Answered, ? extends R> answered,
        Function<? super HandedOff, ? extends R> handedOff) {
      return handedOff.apply(this);
    }
  }
}
