package io.uploadstream.contract;

import java.util.Objects;

/**
 * What {@link RequestDecoder} made of one record: a {@link Decoded} request, or a {@link Rejected}
 * record that belongs on the dead-letter topic. Switch over it.
 */
public sealed interface DecodeResult {

  /** The record is a valid upload request. */
  record Decoded(UploadRequest request) implements DecodeResult {
    public Decoded {
      Objects.requireNonNull(request, "request");
    }
  }

  /**
   * The record is not a valid upload request. {@code reason} is a stable machine word for
   * dead-letter headers and metrics; {@code message} says what exactly is wrong, for people.
   */
  record Rejected(Reason reason, String message) implements DecodeResult {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
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
