package io.uploadstream.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uploadstream.contract.UploadRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FileRequestTest {
  private static final Instant NOW = Instant.parse("2025-08-16T16:31:04Z");

  @Test
  void build_asksForTheAbsoluteLocalPath_withOnlyTheRequiredFields() {
    UploadRequest request = FileRequest.of(Path.of("in/../in/11.png"), "tmp").build("r-1", NOW);

    assertThat(request)
        .isEqualTo(
            new UploadRequest(
                1,
                "r-1",
                Path.of("in/11.png").toAbsolutePath().toString(),
                "tmp",
                null,
                null,
                NOW,
                Map.of()));
  }

  @Test
  void build_givesEachRequestARandomUuidAndTheCurrentTime() {
    FileRequest file = FileRequest.of(Path.of("/data/a.txt"), "tmp");
    Instant before = Instant.now();

    UploadRequest first = file.build();
    UploadRequest second = file.build();

    assertThat(UUID.fromString(first.requestId()))
        .isNotEqualTo(UUID.fromString(second.requestId()));
    assertThat(first.requestedAt()).isBetween(before.minus(1, ChronoUnit.SECONDS), Instant.now());
  }

  @Test
  void objectOptions_andDeleteAfterUpload_endUpInTheRequest() {
    UploadRequest request =
        FileRequest.of(Path.of("/data/résumé.pdf"), "cv")
            .cacheControl("private, max-age=60")
            .attachment()
            .storageClass("STANDARD_IA")
            .tag("team", "hr")
            .tags(Map.of("retention", "1y"))
            .deleteAfterUpload()
            .build("r-1", NOW);

    assertThat(request.cacheControl()).isEqualTo("private, max-age=60");
    assertThat(request.contentDisposition())
        .isEqualTo("attachment; filename=\"r_sum_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");
    assertThat(request.storageClass()).isEqualTo("STANDARD_IA");
    assertThat(request.tags())
        .containsExactlyInAnyOrderEntriesOf(Map.of("team", "hr", "retention", "1y"));
    assertThat(request.deletesSource()).isTrue();
  }

  @Test
  void attachment_usesTheNameInTheKey_andAGivenDispositionReplacesIt() {
    FileRequest file = FileRequest.of(Path.of("/data/a.bin"), "tmp").fileName("b.txt").attachment();

    assertThat(file.build("r-1", NOW).contentDisposition()).endsWith("UTF-8''b.txt");
    assertThat(file.contentDisposition("inline").build("r-1", NOW).contentDisposition())
        .isEqualTo("inline");
  }

  @Test
  void build_refusesTagsTheSchemaRefuses() {
    FileRequest file = FileRequest.of(Path.of("/data/a.bin"), "tmp").tag("aws:owner", "x");

    assertThatThrownBy(() -> file.build("r-1", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tags");
  }

  @Test
  void options_endUpInTheRequest() {
    UploadRequest request =
        FileRequest.of(Path.of("/data/a.bin"), "reports/2025")
            .fileName("annual report.pdf")
            .contentType("application/pdf")
            .metadata("uploaded-by", "alice")
            .metadata(Map.of("source", "cli"))
            .build("r-1", NOW);

    assertThat(request.fileName()).isEqualTo("annual report.pdf");
    assertThat(request.contentType()).isEqualTo("application/pdf");
    assertThat(request.metadata())
        .containsOnly(Map.entry("uploaded-by", "alice"), Map.entry("source", "cli"));
  }

  @ParameterizedTest
  @CsvSource({
    "/data/files, /data/files/11.png",
    "/data/files/, /data/files/11.png",
    "/data/files//, /data/files/11.png",
    "/, /11.png",
    "shared, shared/11.png"
  })
  void remoteDir_joinsTheDirectoryAndTheBaseName(String remoteDir, String filePath) {
    UploadRequest request =
        FileRequest.of(Path.of("/home/me/pics/11.png"), "tmp").remoteDir(remoteDir).build("r", NOW);

    assertThat(request.filePath()).isEqualTo(filePath);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/../b", "./tmp", "/", ""})
  void build_refusesAPrefixTheProcessorWouldReject(String prefix) {
    FileRequest request = FileRequest.of(Path.of("/data/a.txt"), prefix);

    assertThatThrownBy(() -> request.build("r-1", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid upload request r-1: ")
        .hasMessageContaining("prefix");
  }

  @Test
  void build_refusesAMetadataNameTheProcessorWouldReject() {
    FileRequest request = FileRequest.of(Path.of("/data/a.txt"), "tmp").metadata("bad name", "v");

    assertThatThrownBy(() -> request.build("r-1", NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("metadata");
  }

  @Test
  void setters_refuseBlankValues_namingTheOption() {
    FileRequest request = FileRequest.of(Path.of("/data/a.txt"), "tmp");

    assertThatThrownBy(() -> request.remoteDir(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("remoteDir must not be blank, was ' '");
    assertThatThrownBy(() -> request.fileName(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("fileName must not be blank");
  }

  @Test
  void of_refusesAPathWithoutAFileName() {
    assertThatThrownBy(() -> FileRequest.of(Path.of("/"), "tmp"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("file must name a file, was '/'");
  }
}
