package io.uploadstream.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdMetadataTest {

  @ParameterizedTest
  @ValueSource(strings = {"req-0001", "3f1c2a9e-6a55-4f55-9d0e-5d4c1b7b2f10", "a.b_c~d:e"})
  void plainIds_areStoredAsTheyAre(String requestId) {
    assertThat(RequestIdMetadata.value(requestId)).isEqualTo(requestId);
  }

  @Test
  void otherIds_areStoredAsTheirSha256_whichAlwaysFitsAHeader() {
    String[] ids = {"order 42", "tmp/a", "年度报告", "r".repeat(72), "😀".repeat(128)};
    for (String id : ids) {
      assertThat(RequestIdMetadata.value(id))
          .as(id)
          .matches("sha256:[0-9a-f]{64}")
          .isEqualTo(RequestIdMetadata.value(id));
    }
    assertThat(RequestIdMetadata.value("r".repeat(71))).isEqualTo("r".repeat(71));
    assertThat(RequestIdMetadata.value("order 42"))
        .isNotEqualTo(RequestIdMetadata.value("order 43"));
  }

  @Test
  void stored_addsTheRequestsEntryToTheUsersMetadata() {
    assertThat(RequestIdMetadata.stored(Map.of("origin", "it"), "req-1"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("origin", "it", "upload-stream-request-id", "req-1"));
  }

  @Test
  void of_findsTheEntryWhateverTheCaseOfItsName() {
    assertThat(RequestIdMetadata.of(Map.of("UPLOAD-STREAM-REQUEST-ID", "req-1"))).hasValue("req-1");
    assertThat(RequestIdMetadata.of(Map.of("origin", "it"))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"upload-stream-request-id", "Upload-Stream-Anything", "UPLOAD-STREAM-"})
  void reservedNames_areReserved(String name) {
    assertThat(RequestIdMetadata.isReserved(name)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"upload-streamer", "x-upload-stream-id", "upload-stream"})
  void namesMerelyLikeTheReservedPrefix_areTheUsers(String name) {
    assertThat(RequestIdMetadata.isReserved(name)).isFalse();
  }
}
