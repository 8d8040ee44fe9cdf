package io.uploadstream.upload;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/** What a store did when one feature was probed, and the answer that shows it. */
record Finding(Verdict verdict, String evidence) {
  enum Verdict {
    /** Behaves as AWS S3 documents it. */
    SUPPORTED,
    /** Works, but differently from S3 (the evidence says how). */
    DEVIATES,
    /** The request succeeds, the option has no effect: dropped or not verified, silently. */
    IGNORED,
    /** The store answers an error where S3 accepts the request. */
    REJECTED
  }

  Finding {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(evidence, "evidence");
  }

  static Finding supported(String evidence) {
    return new Finding(Verdict.SUPPORTED, evidence);
  }

  static Finding deviates(String evidence) {
    return new Finding(Verdict.DEVIATES, evidence);
  }

  static Finding ignored(String evidence) {
    return new Finding(Verdict.IGNORED, evidence);
  }

  static Finding rejected(String evidence) {
    return new Finding(Verdict.REJECTED, evidence);
  }

  /** SUPPORTED when {@code actual} equals what was sent, IGNORED when absent, else DEVIATES. */
  static Finding returned(String what, Object sent, Object actual) {
    if (Objects.equals(sent, actual)) {
      return supported(what + " returned: " + actual);
    }
    if (absent(actual)) {
      return ignored(what + " not returned");
    }
    return deviates(what + " returned " + actual + ", sent " + sent);
  }

  private static boolean absent(Object actual) {
    if (actual instanceof Collection<?> values) {
      return values.stream().allMatch(Objects::isNull);
    }
    if (actual instanceof Map<?, ?> map) {
      return map.isEmpty();
    }
    return actual == null || actual.toString().isEmpty();
  }

  /**
   * A request S3 refuses with {@code expectedStatus} and {@code expectedCode} (null: any code):
   * SUPPORTED when refused so, IGNORED when accepted, REJECTED when answered 501 (the store does
   * not implement the header), DEVIATES when refused otherwise.
   */
  static Finding refused(
      String what, ProbeTarget.Answer answer, int expectedStatus, String expectedCode) {
    if (answer.ok()) {
      return ignored(what + ": accepted (" + answer + ")");
    }
    boolean codeMatches = expectedCode == null || expectedCode.equals(answer.code());
    if (answer.status() == expectedStatus && codeMatches) {
      return supported(what + ": " + answer);
    }
    if (answer.status() == 501) {
      return rejected(what + ": " + answer);
    }
    String s3 = expectedStatus + (expectedCode == null ? "" : " " + expectedCode);
    return deviates(what + ": " + answer + " where S3 answers " + s3);
  }
}
