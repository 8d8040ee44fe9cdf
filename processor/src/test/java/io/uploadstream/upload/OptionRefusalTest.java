package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** A store's refusal of an object option is named in the STORAGE_ERROR's message. */
class OptionRefusalTest {
  private static final ObjectOptions TAGGED =
      new ObjectOptions(null, null, null, Map.of("team", "uploads"));

  @Test
  void notImplemented_namesEveryOptionSent() {
    S3Exception refused =
        refusal(
            501,
            "NotImplemented",
            "A header you provided implies functionality that is not implemented.");
    ObjectOptions options = new ObjectOptions("no-cache", null, null, Map.of("a", "b"));

    StorageException e =
        StorageException.ofWrite("PutObject", spec(options), null, Encryption.NONE, refused);

    assertThat(e.getMessage())
        .startsWith("PutObject failed for s3://b/k: HTTP 501 NotImplemented")
        .contains(
            "may not support an object option",
            "x-amz-tagging (tags / upload.tags)",
            "Cache-Control");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void anInvalidStorageClass_namesTheStorageClass() {
    S3Exception refused =
        refusal(400, "InvalidStorageClass", "The storage class you specified is not valid");
    ObjectOptions options = new ObjectOptions(null, null, "DEEP_FREEZE", Map.of());

    StorageException e =
        StorageException.ofWrite("PutObject", spec(options), null, Encryption.NONE, refused);

    assertThat(e.getMessage())
        .endsWith(
            "the store refused the storage class DEEP_FREEZE (storageClass / upload.storage-class)");
  }

  @Test
  void aKmsError_namesTheEncryption_withoutTheKey() {
    String key = "arn:aws:kms:us-east-1:123456789012:key/secret-key-id";
    S3Exception refused = refusal(400, "KMS.NotFoundException", "Invalid keyId " + key);

    StorageException e =
        StorageException.ofWrite(
            "CreateMultipartUpload",
            spec(ObjectOptions.NONE),
            null,
            new Encryption(Encryption.Mode.AWS_KMS, key),
            refused);

    assertThat(e.getMessage())
        .contains("the store refused the server-side encryption aws:kms with a KMS key")
        .doesNotContain("secret-key-id");
    assertThat(e.getCause()).as("the store's answer names the key: not kept").isNull();
  }

  @Test
  void aRaceOrAnOutage_isNoOptionRefusal() {
    assertThat(
            OptionRefusal.explain(refusal(412, "PreconditionFailed", "x"), TAGGED, Encryption.NONE))
        .isEmpty();
    assertThat(OptionRefusal.explain(refusal(503, "SlowDown", "x"), TAGGED, Encryption.NONE))
        .isEmpty();
    assertThat(
            OptionRefusal.explain(
                refusal(501, "NotImplemented", "x"), ObjectOptions.NONE, Encryption.NONE))
        .as("no option was sent")
        .isEmpty();
  }

  private static UploadSpec spec(ObjectOptions options) {
    return new UploadSpec("r-1", Path.of("/f"), "b", "k", null, Map.of(), options);
  }

  private static S3Exception refusal(int status, String code, String message) {
    return (S3Exception)
        S3Exception.builder()
            .statusCode(status)
            .message(message)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
            .build();
  }
}
