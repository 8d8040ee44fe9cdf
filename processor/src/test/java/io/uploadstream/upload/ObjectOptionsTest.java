package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

class ObjectOptionsTest {
  private static final ObjectOptions ALL =
      new ObjectOptions(
          "public, max-age=60",
          "inline",
          "STANDARD_IA",
          Map.of("team", "uploads", "note", "a b/c=d+e@f"));

  @Test
  void tagging_isAUrlEncodedQueryString_keysSorted() {
    assertThat(ALL.tagging()).isEqualTo("note=a%20b/c%3Dd%2Be@f&team=uploads");
    assertThat(new ObjectOptions(null, null, null, Map.of("città", "a:b")).tagging())
        .isEqualTo("citt%C3%A0=a:b");
    assertThat(ObjectOptions.NONE.tagging()).isNull();
  }

  @Test
  void putObject_andCreateMultipartUpload_carryTheSameOptions() {
    PutObjectRequest put = ALL.applyTo(PutObjectRequest.builder()).build();
    CreateMultipartUploadRequest create =
        ALL.applyTo(CreateMultipartUploadRequest.builder()).build();

    assertThat(put.cacheControl()).isEqualTo(create.cacheControl()).isEqualTo("public, max-age=60");
    assertThat(put.contentDisposition()).isEqualTo(create.contentDisposition()).isEqualTo("inline");
    assertThat(put.storageClassAsString())
        .isEqualTo(create.storageClassAsString())
        .isEqualTo("STANDARD_IA");
    assertThat(put.tagging()).isEqualTo(create.tagging()).isEqualTo(ALL.tagging());
  }

  @Test
  void none_setsNothing() {
    PutObjectRequest put = ObjectOptions.NONE.applyTo(PutObjectRequest.builder()).build();

    assertThat(put.cacheControl()).isNull();
    assertThat(put.contentDisposition()).isNull();
    assertThat(put.storageClass()).isNull();
    assertThat(put.tagging()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"no-cache\r\nX-Evil: 1", "", "caf\u00e9"})
  void headerValues_mustBePrintableAscii(String value) {
    assertThatThrownBy(() -> new ObjectOptions(value, null, null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cacheControl");
  }

  @Test
  void tags_followS3sLimits() {
    Map<String, String> eleven = new HashMap<>();
    for (int i = 0; i < 11; i++) {
      eleven.put("k" + i, "v");
    }
    assertThatThrownBy(() -> new ObjectOptions(null, null, null, eleven))
        .hasMessageContaining("at most 10 tags");
    assertThatThrownBy(() -> new ObjectOptions(null, null, null, Map.of("k".repeat(129), "v")))
        .hasMessageContaining("tag key");
    assertThatThrownBy(() -> new ObjectOptions(null, null, null, Map.of("k", "v".repeat(257))))
        .hasMessageContaining("tag value");
    assertThatThrownBy(() -> new ObjectOptions(null, null, null, Map.of("AWS:x", "v")))
        .hasMessageContaining("aws:");
    assertThatThrownBy(() -> new ObjectOptions(null, null, null, Map.of("k", "a&b")))
        .hasMessageContaining("tag value");
    assertThat(new ObjectOptions(null, null, null, Map.of("k".repeat(128), "v".repeat(256))))
        .isNotNull();
  }

  @Test
  void named_saysWhatWasSetAndWhereItComesFrom() {
    assertThat(ALL.named())
        .containsExactly(
            "Cache-Control (cacheControl / upload.cache-control)",
            "Content-Disposition (contentDisposition / upload.content-disposition)",
            "storage class STANDARD_IA (storageClass / upload.storage-class)",
            "2 tags, x-amz-tagging (tags / upload.tags)");
  }
}
