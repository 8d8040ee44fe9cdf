package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

class EncryptionTest {
  private static final String ARN = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab";
  private static final Encryption KMS_BY_ID =
      new Encryption(Encryption.Mode.AWS_KMS, "1234abcd-12ab");

  @Test
  void modes_parseAsS3NamesThem() {
    assertThat(Encryption.Mode.parse("none")).isEqualTo(Encryption.Mode.NONE);
    assertThat(Encryption.Mode.parse("aes256")).isEqualTo(Encryption.Mode.AES256);
    assertThat(Encryption.Mode.parse(" aws:kms ")).isEqualTo(Encryption.Mode.AWS_KMS);
    assertThatThrownBy(() -> Encryption.Mode.parse("kms"))
        .hasMessage("expected none, AES256 or aws:kms");
  }

  @Test
  void headers_goWithPutObjectAndCreateMultipartUpload_alike() {
    PutObjectRequest put = KMS_BY_ID.applyTo(PutObjectRequest.builder()).build();
    CreateMultipartUploadRequest create =
        KMS_BY_ID.applyTo(CreateMultipartUploadRequest.builder()).build();

    assertThat(put.serverSideEncryptionAsString())
        .isEqualTo(create.serverSideEncryptionAsString())
        .isEqualTo("aws:kms");
    assertThat(put.ssekmsKeyId()).isEqualTo(create.ssekmsKeyId()).isEqualTo("1234abcd-12ab");
    assertThat(Encryption.NONE.applyTo(PutObjectRequest.builder()).build().serverSideEncryption())
        .isNull();
  }

  @Test
  void difference_comparesTheModeAndAKeyIdWithTheArnS3Reports() {
    HeadObjectResponse kmsObject =
        HeadObjectResponse.builder().serverSideEncryption("aws:kms").ssekmsKeyId(ARN).build();
    HeadObjectResponse sseS3Object =
        HeadObjectResponse.builder().serverSideEncryption("AES256").build();

    assertThat(KMS_BY_ID.difference(kmsObject)).isEmpty();
    assertThat(new Encryption(Encryption.Mode.AWS_KMS, ARN).difference(kmsObject)).isEmpty();
    assertThat(new Encryption(Encryption.Mode.AWS_KMS, "other-key").difference(kmsObject))
        .hasValue("is encrypted with another KMS key");
    assertThat(new Encryption(Encryption.Mode.AWS_KMS, "alias/uploads").difference(kmsObject))
        .isEmpty();
    assertThat(KMS_BY_ID.difference(sseS3Object)).hasValue("is encrypted with AES256, not aws:kms");
    assertThat(Encryption.NONE.difference(kmsObject)).as("none: the bucket decides").isEmpty();
  }

  @Test
  void theKeyId_isNeverShown() {
    Encryption byArn = new Encryption(Encryption.Mode.AWS_KMS, ARN);

    assertThat(byArn.toString()).isEqualTo("Encryption[aws:kms, kmsKeyId=****]");
    assertThat(byArn.named()).doesNotContain("1234abcd");
    assertThat(byArn.scrub("Invalid keyId 1234abcd-12ab (" + ARN + ")"))
        .isEqualTo("Invalid keyId **** (****)");
  }

  @Test
  void aKeyId_withoutKms_isRefused() {
    assertThatThrownBy(() -> new Encryption(Encryption.Mode.AES256, "key"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
