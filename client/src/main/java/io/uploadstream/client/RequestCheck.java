package io.uploadstream.client;

import io.uploadstream.contract.DecodeResult;
import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.RequestDecoder;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.keys.InvalidKeyException;
import io.uploadstream.keys.ObjectKeys;
import java.time.Instant;

/**
 * Refuses a request the processor would refuse, by the processor's own rules: the request schema
 * (else it goes to the dead-letter topic and no result ever comes) and the object key rules (else
 * it fails with INVALID_REQUEST). A caller hears about a bad prefix or metadata name at once.
 */
final class RequestCheck {
  private static final RequestDecoder DECODER = new RequestDecoder();

  private RequestCheck() {}

  /** Returns the request's JSON, the bytes to publish, if the processor would accept it. */
  static byte[] requireValid(UploadRequest request) {
    byte[] json = EventCodec.encode(request);
    if (DECODER.decode(json) instanceof DecodeResult.Rejected rejected) {
      throw invalid(request, rejected.message());
    }
    try {
      ObjectKeys.key(request.prefix(), keyTime(request), fileName(request));
    } catch (InvalidKeyException e) {
      throw invalid(request, e.getMessage());
    }
    return json;
  }

  private static String fileName(UploadRequest request) {
    return request.fileName() != null
        ? request.fileName()
        : ObjectKeys.defaultFileName(request.filePath());
  }

  /** Without requestedAt the processor uses the record's timestamp, which is always valid. */
  private static Instant keyTime(UploadRequest request) {
    return request.requestedAt() != null ? request.requestedAt() : Instant.EPOCH;
  }

  private static IllegalArgumentException invalid(UploadRequest request, String why) {
    return new IllegalArgumentException(
        "invalid upload request " + request.requestId() + ": " + why);
  }
}
