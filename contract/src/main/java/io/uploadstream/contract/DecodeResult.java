package io.uploadstream.contract;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What {@link RequestDecoder} made of one record: a {@link Decoded} request, or a {@link Rejected}
 * record that belongs on the dead-letter topic. Handle both through {@link #fold}: a new kind of
 * result is then a compile error at every caller, not a failed cast.
 */
public sealed interface DecodeResult {

  /** {@code decoded} of a valid request, or {@code rejected} of a rejected record. */
  <R> R fold(
      Function<? super Decoded, ? extends R> decoded,
      Function<? super Rejected, ? extends R> rejected);

  /** Runs {@code decoded} of a valid request, or {@code rejected} of a rejected record. */
  default void handle(Consumer<? super Decoded> decoded, Consumer<? super Rejected> rejected) {
    Void unused =
        fold(
            request -> {
              decoded.accept(request);
              return null;
            },
            record -> {
              rejected.accept(record);
              return null;
            });
  }

  /** The record is a valid upload request. */
  record Decoded(UploadRequest request) implements DecodeResult {
    public Decoded {
      Objects.requireNonNull(request, "request");
    }

    @Override
    public <R> R fold(
        Function<? super Decoded, ? extends R> decoded,
        Function<? super Rejected, ? extends R> rejected) {
      return decoded.apply(this);
    }
  }

  /**
   * The record is not a valid upload request. {@code reason} is a stable machine word for
   * dead-letter headers and metrics; {@code message} says what exactly is wrong, for people. {@code
   * echo} is present when the record is a JSON object with a usable {@code requestId} (one the
   * schema allows): its caller waits for that id, so it gets a FAILED result besides the dead
   * letter.
   */
  record Rejected(Reason reason, String message, Optional<Echo> echo) implements DecodeResult {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(echo, "echo");
    }

    /** Rejected with nothing to answer: not JSON, not an object, or no usable requestId. */
    public Rejected(Reason reason, String message) {
      this(reason, message, Optional.empty());
    }

    @Override
    public <R> R fold(
        Function<? super Decoded, ? extends R> decoded,
        Function<? super Rejected, ? extends R> rejected) {
      return rejected.apply(this);
    }
  }

  /**
   * What a result for a refused record can echo: its {@code requestId}, and {@code filePath} and
   * {@code prefix} when they are strings the result schema allows (else null).
   */
  record Echo(String requestId, String filePath, String prefix) {
    public Echo {
      Objects.requireNonNull(requestId, "requestId");
    }
  }

  /** Why a record was rejected, in the order the decoder checks. */
  enum Reason {
    /** Larger than the decoder's record size limit. */
    TOO_LARGE,
    /** Not well-formed UTF-8. */
    INVALID_UTF8,
    /** Empty, not JSON, a duplicate key, or nested or sized beyond the parser's limits. */
    INVALID_JSON,
    /** Valid JSON whose top level is not an object. */
    NOT_AN_OBJECT,
    /** A JSON object that does not match the upload-request schema. */
    SCHEMA_VIOLATION
  }
}
