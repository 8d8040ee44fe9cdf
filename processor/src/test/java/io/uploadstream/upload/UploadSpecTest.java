package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UploadSpecTest {

  @ParameterizedTest
  @ValueSource(strings = {"upload-stream-request-id", "Upload-Stream-Anything", "UPLOAD-STREAM-"})
  void reservedNames_areRefusedInAnUploadSpec(String name) {
    assertThatThrownBy(
            () -> new UploadSpec("r", Path.of("/f"), "b", "k", null, Map.of(name, "forged")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved prefix upload-stream-");
  }
}
