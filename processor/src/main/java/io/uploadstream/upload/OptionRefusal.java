package io.uploadstream.upload;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Names the object option a store refused, so a {@code STORAGE_ERROR} says what to change instead
 * of leaving the user to guess: a store without tagging answers {@code 501 NotImplemented} ("a
 * header you provided implies functionality that is not implemented"), an unknown storage class
 * {@code 400 InvalidStorageClass}, a KMS key that cannot be used a KMS error. When the answer does
 * not say which option it refused, every option the write set is listed.
 */
final class OptionRefusal {
  private OptionRefusal() {}

  /** The text to append to the failure's message, if the store refused a write that set options. */
  static Optional<String> explain(SdkException failure, ObjectOptions options, Encryption sse) {
    if (!(failure instanceof AwsServiceException e) || !isRefusal(e.statusCode())) {
      return Optional.empty();
    }
    List<String> sent = new ArrayList<>(options.named());
    if (sse.mode() != Encryption.Mode.NONE) {
      sent.add(sse.named());
    }
    if (sent.isEmpty()) {
      return Optional.empty();
    }
    String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
    String text = (code + " " + e.getMessage()).toLowerCase(Locale.ROOT);
    boolean storageClass = text.contains("storage class") || text.contains("storageclass");
    if (options.storageClass() != null && storageClass) {
      return Optional.of(" — the store refused the " + named(options, "storage class"));
    }
    if (sse.mode() != Encryption.Mode.NONE && (text.contains("kms") || text.contains("encrypt"))) {
      return Optional.of(" — the store refused the " + sse.named());
    }
    if (!options.tags().isEmpty() && text.contains("tag")) {
      return Optional.of(" — the store refused the " + named(options, "tags"));
    }
    return Optional.of(
        " — the store may not support an object option this upload set: "
            + String.join("; ", sent));
  }

  private static String named(ObjectOptions options, String which) {
    return options.named().stream().filter(o -> o.contains(which)).findFirst().orElseThrow();
  }

  /**
   * A refusal of the request as asked: a 4xx other than the answers about the key's state
   * (conditional writes, a vanished key or upload), or 501 Not Implemented.
   */
  private static boolean isRefusal(int status) {
    if (status == 501) {
      return true;
    }
    return status >= 400 && status < 500 && status != 404 && status != 409 && status != 412;
  }
}
