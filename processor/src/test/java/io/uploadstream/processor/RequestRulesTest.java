package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadstream.contract.AfterUpload;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.upload.ObjectDefaults;
import io.uploadstream.upload.ObjectOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestRulesTest {
  private static final ObjectDefaults DEFAULTS =
      new ObjectDefaults(
          "public, max-age=60",
          "inline",
          "STANDARD_IA",
          Set.of("GLACIER_IR"),
          Map.of("team", "uploads", "env", "prod"));

  @Test
  void aRequestWithoutOptions_getsTheDefaults() throws Exception {
    ObjectOptions options =
        new RequestRules(DEFAULTS, false).options(request(null, Map.of(), null));

    assertThat(options)
        .isEqualTo(
            new ObjectOptions(
                "public, max-age=60",
                "inline",
                "STANDARD_IA",
                Map.of("team", "uploads", "env", "prod")));
  }

  @Test
  void theRequestsOptions_winOverTheDefaults_tagByTag() throws Exception {
    UploadRequest request =
        new UploadRequest(
            1,
            "r",
            "/f",
            "tmp",
            null,
            null,
            null,
            Map.of(),
            "no-cache",
            "attachment",
            "GLACIER_IR",
            Map.of("env", "test", "owner", "alice"),
            null);

    ObjectOptions options = new RequestRules(DEFAULTS, false).options(request);

    assertThat(options.cacheControl()).isEqualTo("no-cache");
    assertThat(options.contentDisposition()).isEqualTo("attachment");
    assertThat(options.storageClass()).isEqualTo("GLACIER_IR");
    assertThat(options.tags())
        .isEqualTo(Map.of("team", "uploads", "env", "test", "owner", "alice"));
  }

  @Test
  void aStorageClassNotAllowed_isInvalid_namingTheSetting() {
    assertThatThrownBy(
            () ->
                new RequestRules(DEFAULTS, false).options(request("DEEP_ARCHIVE", Map.of(), null)))
        .isInstanceOfSatisfying(
            PathGuard.Refused.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
        .hasMessage(
            "storageClass DEEP_ARCHIVE is not allowed: upload.allowed-storage-classes lists"
                + " GLACIER_IR");
  }

  @Test
  void theDefaultStorageClass_isAllowedEvenUnlisted() throws Exception {
    assertThat(
            new RequestRules(DEFAULTS, false)
                .options(request("STANDARD_IA", Map.of(), null))
                .storageClass())
        .isEqualTo("STANDARD_IA");
  }

  @Test
  void moreThanTenTags_withTheDefaults_isInvalid_namingTheSetting() {
    Map<String, String> nine = new HashMap<>();
    for (int i = 0; i < 9; i++) {
      nine.put("k" + i, "v");
    }

    assertThatThrownBy(() -> new RequestRules(DEFAULTS, false).options(request(null, nine, null)))
        .isInstanceOf(PathGuard.Refused.class)
        .hasMessageContaining("upload.tags")
        .hasMessageContaining("make 11");
  }

  @Test
  void deleteAfterUpload_needsTheSetting() throws Exception {
    UploadRequest delete = request(null, Map.of(), AfterUpload.DELETE);

    assertThatThrownBy(() -> new RequestRules(DEFAULTS, false).options(delete))
        .isInstanceOf(PathGuard.Refused.class)
        .hasMessageContaining("processor.allow-delete=true");
    assertThat(new RequestRules(DEFAULTS, true).options(delete)).isNotNull();
  }

  private static UploadRequest request(
      String storageClass, Map<String, String> tags, AfterUpload afterUpload) {
    return new UploadRequest(
        1,
        "r",
        "/f",
        "tmp",
        null,
        null,
        null,
        Map.of(),
        null,
        null,
        storageClass,
        tags,
        afterUpload);
  }
}
