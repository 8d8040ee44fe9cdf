package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

class WriteConditionTest {
  private static final String ETAG = "\"5d41402abc4b2a76b9719d911017c592\"";

  @Test
  void checkedByTheStore_sendsIfNoneMatchOrIfMatch() {
    PutObjectRequest put =
        WriteCondition.noObject(true).applyTo(PutObjectRequest.builder()).build();
    CompleteMultipartUploadRequest complete =
        WriteCondition.thisEtag(ETAG, true)
            .applyTo(CompleteMultipartUploadRequest.builder())
            .build();

    assertThat(put.ifNoneMatch()).isEqualTo("*");
    assertThat(put.ifMatch()).isNull();
    assertThat(complete.ifMatch()).isEqualTo(ETAG);
    assertThat(complete.ifNoneMatch()).isNull();
  }

  @Test
  void checkedByTheUploader_orUnconditional_sendsNoHeader() {
    for (WriteCondition condition :
        new WriteCondition[] {
          WriteCondition.noObject(false),
          WriteCondition.thisEtag(ETAG, false),
          WriteCondition.UNCONDITIONAL
        }) {
      PutObjectRequest put = condition.applyTo(PutObjectRequest.builder()).build();
      assertThat(put.ifNoneMatch()).as(condition.toString()).isNull();
      assertThat(put.ifMatch()).as(condition.toString()).isNull();
    }
    assertThat(WriteCondition.noObject(false).checkedByUploader()).isTrue();
    assertThat(WriteCondition.noObject(true).checkedByUploader()).isFalse();
    assertThat(WriteCondition.UNCONDITIONAL.checkedByUploader()).isFalse();
  }

  @Test
  void heldBy_comparesWithWhatAHeadFound() {
    Optional<HeadObjectResponse> ours =
        Optional.of(HeadObjectResponse.builder().eTag(ETAG).build());
    Optional<HeadObjectResponse> other =
        Optional.of(HeadObjectResponse.builder().eTag("\"other\"").build());

    assertThat(WriteCondition.noObject(false).heldBy(Optional.empty())).isTrue();
    assertThat(WriteCondition.noObject(false).heldBy(ours)).isFalse();
    assertThat(WriteCondition.thisEtag(ETAG, false).heldBy(ours)).isTrue();
    assertThat(WriteCondition.thisEtag(ETAG, false).heldBy(other)).isFalse();
    assertThat(WriteCondition.thisEtag(ETAG, false).heldBy(Optional.empty())).isFalse();
    assertThat(WriteCondition.UNCONDITIONAL.heldBy(other)).isTrue();
  }
}
