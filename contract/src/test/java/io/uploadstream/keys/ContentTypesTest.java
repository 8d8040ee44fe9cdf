package io.uploadstream.keys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ContentTypesTest {

  @ParameterizedTest
  @CsvSource({
    "11.png,            image/png",
    "PHOTO.JPG,         image/jpeg",
    "photo.JpEg,        image/jpeg",
    "anim.gif,          image/gif",
    "pic.webp,          image/webp",
    "pic.avif,          image/avif",
    "logo.svg,          image/svg+xml",
    "favicon.ico,       image/vnd.microsoft.icon",
    "clip.mp4,          video/mp4",
    "clip.MOV,          video/quicktime",
    "clip.webm,         video/webm",
    "song.mp3,          audio/mpeg",
    "voice.wav,         audio/wav",
    "track.flac,        audio/flac",
    "report.pdf,        application/pdf",
    "data.json,         application/json",
    "notes.txt,         text/plain",
    "index.html,        text/html",
    "index.HTM,         text/html",
    "style.css,         text/css",
    "app.js,            text/javascript",
    "module.mjs,        text/javascript",
    "table.csv,         text/csv",
    "feed.xml,          application/xml",
    "archive.zip,       application/zip",
    "archive.tar.gz,    application/gzip",
    "archive.tgz,       application/gzip",
    "archive.tar,       application/x-tar",
    "module.wasm,       application/wasm",
    "font.woff2,        font/woff2",
    "年度报告 2025.PDF,  application/pdf",
    "😀 party.png,      image/png",
    "a b+c%d#e?.png,    image/png",
    "tmp/dir.d/x.json,  application/json"
  })
  void type_isDetectedFromTheExtension_caseInsensitively(String fileName, String type) {
    assertThat(ContentTypes.resolve(null, fileName)).isEqualTo(type);
  }

  @ParameterizedTest
  @CsvSource({
    "letter.docx,  application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "letter.rtf,   application/rtf",
    "paper.latex,  application/x-latex"
  })
  void typesOutsideOurTable_comeFromTheJdkMap(String fileName, String type) {
    assertThat(ContentTypes.resolve(null, fileName)).isEqualTo(type);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"README", ".bashrc", "name.", "data.unknownext", "dir.d/noext"})
  void unknownType_isOctetStream(String fileName) {
    assertThat(ContentTypes.resolve(null, fileName)).isEqualTo("application/octet-stream");
  }

  @ParameterizedTest
  @CsvSource({
    "text/plain; charset=utf-8, a.png, text/plain; charset=utf-8",
    "'  image/gif  ',           a.png, image/gif",
    "application/x-custom,      ,      application/x-custom"
  })
  void givenType_wins(String given, String fileName, String type) {
    assertThat(ContentTypes.resolve(given, fileName)).isEqualTo(type);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"   ", "\t"})
  void blankGivenType_fallsBackToDetection(String given) {
    assertThat(ContentTypes.resolve(given, "a.png")).isEqualTo("image/png");
  }
}
