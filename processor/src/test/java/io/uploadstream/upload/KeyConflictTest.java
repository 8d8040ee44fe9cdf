package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.keys.RequestIdMetadata;
import io.uploadstream.upload.KeyConflict.Decision;
import io.uploadstream.upload.KeyConflict.Reuse;
import io.uploadstream.upload.KeyConflict.Taken;
import io.uploadstream.upload.KeyConflict.Write;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

class KeyConflictTest {
  private static final KeyConflictSettings FAIL = KeyConflictSettings.DEFAULTS;
  private static final KeyConflictSettings RENAME =
      new KeyConflictSettings(OnKeyConflict.RENAME, true);
  private static final KeyConflictSettings OVERWRITE =
      new KeyConflictSettings(OnKeyConflict.OVERWRITE, true);
  private static final KeyConflictSettings HEAD_ONLY =
      new KeyConflictSettings(OnKeyConflict.FAIL, false);
  private static final String ETAG = "\"5d41402abc4b2a76b9719d911017c592\"";

  private final AtomicInteger identityChecks = new AtomicInteger();

  @Test
  void freeKey_isClaimedIfNoneMatch_checkedByTheStore() throws Exception {
    Decision decision = KeyConflict.decide(Optional.empty(), "req-1", FAIL, identical(true));

    assertThat(decision).isEqualTo(new Write(WriteCondition.noObject(true)));
    assertThat(identityChecks).hasValue(0);
  }

  @Test
  void freeKey_withoutConditionalWrites_isClaimedWithTheConditionCheckedByTheUploader()
      throws Exception {
    Decision decision = KeyConflict.decide(Optional.empty(), "req-1", HEAD_ONLY, identical(true));

    assertThat(decision).isEqualTo(new Write(WriteCondition.noObject(false)));
    assertThat(((Write) decision).condition().checkedByUploader()).isTrue();
  }

  @Test
  void freeKey_inOverwriteMode_isWrittenUnconditionally() throws Exception {
    assertThat(KeyConflict.decide(Optional.empty(), "req-1", OVERWRITE, identical(true)))
        .isEqualTo(new Write(WriteCondition.UNCONDITIONAL));
  }

  @ParameterizedTest
  @EnumSource(OnKeyConflict.class)
  void ownIdenticalObject_isReused_inEveryMode(OnKeyConflict mode) throws Exception {
    HeadObjectResponse head = storedBy("req-1");

    Decision decision =
        KeyConflict.decide(
            Optional.of(head), "req-1", new KeyConflictSettings(mode, true), identical(true));

    assertThat(decision).isEqualTo(new Reuse(head));
  }

  @Test
  void ownObjectWithOtherContent_isReplacedOnlyWhileItIsStillThatObject() throws Exception {
    Decision decision =
        KeyConflict.decide(Optional.of(storedBy("req-1")), "req-1", FAIL, identical(false));

    assertThat(decision).isEqualTo(new Write(WriteCondition.thisEtag(ETAG, true)));
  }

  @Test
  void otherRequestsObject_isTaken_withoutReadingTheFile() throws Exception {
    Decision fail =
        KeyConflict.decide(Optional.of(storedBy("req-2")), "req-1", FAIL, identical(true));
    Decision rename =
        KeyConflict.decide(Optional.of(storedBy("req-2")), "req-1", RENAME, identical(true));

    assertThat(fail).isInstanceOf(Taken.class);
    assertThat(((Taken) fail).why()).isEqualTo("it holds another request's object");
    assertThat(rename).isEqualTo(fail);
    assertThat(identityChecks).as("another request's object is never compared").hasValue(0);
  }

  @Test
  void objectNamingNoRequest_isTaken() throws Exception {
    HeadObjectResponse foreign = HeadObjectResponse.builder().eTag(ETAG).build();

    Decision decision = KeyConflict.decide(Optional.of(foreign), "req-1", FAIL, identical(true));

    assertThat(decision).isInstanceOf(Taken.class);
    assertThat(((Taken) decision).why()).contains("names no request");
  }

  @Test
  void otherRequestsObject_inOverwriteMode_isReplacedUnconditionally() throws Exception {
    assertThat(
            KeyConflict.decide(Optional.of(storedBy("req-2")), "req-1", OVERWRITE, identical(true)))
        .isEqualTo(new Write(WriteCondition.UNCONDITIONAL));
  }

  @Test
  void isOurs_comparesTheStoredForm_andIgnoresTheCaseOfTheMetadataName() {
    String unusual = "order 42/ünïcode";
    HeadObjectResponse head =
        HeadObjectResponse.builder()
            .metadata(Map.of("Upload-Stream-Request-Id", RequestIdMetadata.value(unusual)))
            .build();

    assertThat(KeyConflict.isOurs(head, unusual)).isTrue();
    assertThat(KeyConflict.isOurs(head, "order 42")).isFalse();
  }

  private static HeadObjectResponse storedBy(String requestId) {
    return HeadObjectResponse.builder()
        .eTag(ETAG)
        .metadata(Map.of(RequestIdMetadata.KEY, RequestIdMetadata.value(requestId)))
        .build();
  }

  private KeyConflict.Identity identical(boolean answer) {
    return head -> {
      identityChecks.incrementAndGet();
      return answer;
    };
  }
}
