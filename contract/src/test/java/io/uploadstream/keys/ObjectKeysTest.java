package io.uploadstream.keys;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ObjectKeysTest {

  private static final Instant SEED_TIME = Instant.parse("2025-08-16T16:31:04Z");

  @Test
  void key_matchesTheSeed() {
    assertThat(ObjectKeys.key("tmp", SEED_TIME, "11.png")).isEqualTo("tmp/20250816163104-11.png");
  }

  @Test
  void key_isDeterministic() {
    String first = ObjectKeys.key("tmp", SEED_TIME, "11.png");

    assertThat(ObjectKeys.key("tmp", Instant.parse("2025-08-16T16:31:04Z"), "11.png"))
        .isEqualTo(first);
  }

  @Test
  void key_dropsFractionsOfASecond() {
    assertThat(ObjectKeys.key("tmp", Instant.parse("2025-08-16T16:31:04.999999999Z"), "a"))
        .isEqualTo("tmp/20250816163104-a");
  }

  @ParameterizedTest
  @ValueSource(strings = {"UTC", "Asia/Shanghai", "America/Los_Angeles", "Pacific/Kiritimati"})
  void key_usesUtc_whateverTheDefaultTimeZone(String zone) {
    TimeZone original = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone(zone));

      assertThat(ObjectKeys.key("tmp", Instant.parse("2025-12-31T23:59:59Z"), "a.png"))
          .isEqualTo("tmp/20251231235959-a.png");
      // The same instant written with an offset lands on the next day locally, not in the key.
      Instant sameInstant = OffsetDateTime.parse("2026-01-01T07:59:59+08:00").toInstant();
      assertThat(ObjectKeys.key("tmp", sameInstant, "a.png")).isEqualTo("tmp/20251231235959-a.png");
    } finally {
      TimeZone.setDefault(original);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "1969-12-31T23:59:59.999Z, 19691231235959",
    "0000-01-01T00:00:00Z,     00000101000000",
    "9999-12-31T23:59:59.999Z, 99991231235959",
    "2024-02-29T12:00:00Z,     20240229120000"
  })
  void timestamp_hasFourteenDigits_atTheEdges(Instant requestedAt, String timestamp) {
    assertThat(ObjectKeys.key("p", requestedAt, "f")).isEqualTo("p/" + timestamp + "-f");
  }

  @ParameterizedTest
  @ValueSource(strings = {"+10000-01-01T00:00:00Z", "-0001-12-31T23:59:59Z"})
  void timestampOutsideFourDigitYears_isRejected(String requestedAt) {
    assertThatThrownBy(() -> ObjectKeys.key("p", Instant.parse(requestedAt), "f"))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageContaining("years 0000 to 9999");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          tmp             | tmp
          /tmp            | tmp
          tmp/            | tmp
          /tmp/           | tmp
          //a///b//       | a/b
          images/avatars  | images/avatars
          a b/c+d         | a b/c+d
          图片/头像        | 图片/头像
          😀/x            | 😀/x
          ...             | ...
          ..a/b..         | ..a/b..
          .hidden         | .hidden
          """)
  void prefix_isNormalised(String prefix, String normalised) {
    assertThat(ObjectKeys.normalizePrefix(prefix)).isEqualTo(normalised);
    assertThat(ObjectKeys.key(prefix, SEED_TIME, "f")).isEqualTo(normalised + "/20250816163104-f");
  }

  static Stream<Arguments> badPrefixes() {
    return Stream.of(
        Arguments.of("..", "prefix must not have a '..' segment"),
        Arguments.of("a/../b", "prefix must not have a '..' segment"),
        Arguments.of("/../etc", "prefix must not have a '..' segment"),
        Arguments.of("a/..", "prefix must not have a '..' segment"),
        Arguments.of("./a", "prefix must not have a '.' segment"),
        Arguments.of("a/./b", "prefix must not have a '.' segment"),
        Arguments.of("", "prefix is empty"),
        Arguments.of("/", "prefix is empty"),
        Arguments.of("///", "prefix is empty"),
        Arguments.of("a\\b", "prefix must not contain '\\'"),
        Arguments.of("..\\x", "prefix must not contain '\\'"),
        Arguments.of("a\u0000b", "prefix must not contain control character U+0000 (at index 1)"),
        Arguments.of("a\tb", "prefix must not contain control character U+0009"),
        Arguments.of("a\nb", "prefix must not contain control character U+000A"),
        Arguments.of("a\u007Fb", "prefix must not contain control character U+007F"),
        Arguments.of("a\u0080b", "prefix must not contain control character U+0080"),
        Arguments.of("a\u009Fb", "prefix must not contain control character U+009F"),
        Arguments.of("a\uD83D", "prefix is not valid Unicode (unpaired surrogate)"));
  }

  @ParameterizedTest
  @MethodSource("badPrefixes")
  void badPrefix_isRejected_namingTheProblem(String prefix, String problem) {
    assertThatThrownBy(() -> ObjectKeys.key(prefix, SEED_TIME, "f.png"))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageStartingWith(problem);
  }

  @Test
  void rejectionMessage_showsControlCharactersEscaped() {
    assertThatThrownBy(() -> ObjectKeys.normalizePrefix("a\nb"))
        .hasMessageEndingWith(": \"a\\u000Ab\"");
  }

  static Stream<Arguments> badFileNames() {
    return Stream.of(
        Arguments.of("", "fileName is empty"),
        Arguments.of(".", "fileName must not be '.'"),
        Arguments.of("..", "fileName must not be '..'"),
        Arguments.of("a/b.png", "fileName must not contain '/'"),
        Arguments.of("../x", "fileName must not contain '/'"),
        Arguments.of("a\\b.png", "fileName must not contain '\\'"),
        Arguments.of("a\r\n.png", "fileName must not contain control character U+000D"),
        Arguments.of("a\u0085.png", "fileName must not contain control character U+0085"),
        Arguments.of("\uDE00.png", "fileName is not valid Unicode (unpaired surrogate)"));
  }

  @ParameterizedTest
  @MethodSource("badFileNames")
  void badFileName_isRejected_namingTheProblem(String fileName, String problem) {
    assertThatThrownBy(() -> ObjectKeys.key("tmp", SEED_TIME, fileName))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageStartingWith(problem);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "年度报告 2025.pdf",
        "😀 party 🎉.jpg",
        "a b.png",
        "a+b.png",
        "100%.png",
        "#1.png",
        "why?.png",
        "...png",
        ".env",
        "a..b"
      })
  void unusualFileName_isKeptAsIs(String fileName) {
    assertThat(ObjectKeys.key("tmp", SEED_TIME, fileName))
        .isEqualTo("tmp/20250816163104-" + fileName);
  }

  static Stream<Arguments> keysAtTheLimit() {
    // "tmp/" + 14-digit timestamp + "-" is 19 bytes, leaving 1,005 for the file name.
    return Stream.of(
        Arguments.of("ASCII", "tmp", "a".repeat(1001) + ".png"),
        Arguments.of("3-byte Chinese", "tmp", "中".repeat(335)),
        Arguments.of("4-byte emoji", "tmp", "😀".repeat(251) + "a"),
        Arguments.of("multi-byte prefix", "图".repeat(100), "b".repeat(1024 - 300 - 16)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keysAtTheLimit")
  void keyOfExactly1024Bytes_isAccepted(String what, String prefix, String fileName) {
    String key = ObjectKeys.key(prefix, SEED_TIME, fileName);

    assertThat(key.getBytes(UTF_8)).hasSize(ObjectKeys.MAX_KEY_BYTES);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keysAtTheLimit")
  void keyOf1025Bytes_isRejected(String what, String prefix, String fileName) {
    assertThatThrownBy(() -> ObjectKeys.key(prefix, SEED_TIME, "x" + fileName))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageStartingWith("key is 1025 bytes in UTF-8, S3 allows at most 1024");
  }

  @Test
  void keyOverTheLimitByOneMultiByteCharacter_isRejected() {
    // 19 + 1,003 ASCII bytes + one 3-byte character: 1,025 bytes in only 1,023 characters.
    String fileName = "a".repeat(1003) + "中";

    assertThat(("tmp/20250816163104-" + fileName).length()).isLessThan(1024);
    assertThatThrownBy(() -> ObjectKeys.key("tmp", SEED_TIME, fileName))
        .hasMessageStartingWith("key is 1025 bytes");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          /data/uploads/11.png          | 11.png
          11.png                        | 11.png
          relative/dir/clip.mp4         | clip.mp4
          /data/年度 报告.pdf             | 年度 报告.pdf
          /data/..hidden                | ..hidden
          /data/no-extension            | no-extension
          """)
  void defaultFileName_isTheBaseNameOfThePath(String filePath, String fileName) {
    assertThat(ObjectKeys.defaultFileName(filePath)).isEqualTo(fileName);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/", "/data/uploads/"})
  void defaultFileName_ofAPathWithoutOne_isRejected(String filePath) {
    assertThatThrownBy(() -> ObjectKeys.defaultFileName(filePath))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageStartingWith("filePath has no file name to default to");
  }

  @Test
  void defaultFileName_ofADotDotPath_isCaughtWhenTheKeyIsBuilt() {
    String fileName = ObjectKeys.defaultFileName("/data/uploads/..");

    assertThatThrownBy(() -> ObjectKeys.key("tmp", SEED_TIME, fileName))
        .hasMessage("fileName must not be '..'");
  }

  @Test
  void missingArguments_areProgrammingErrors() {
    assertThatThrownBy(() -> ObjectKeys.key(null, SEED_TIME, "f"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ObjectKeys.key("p", null, "f"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> ObjectKeys.key("p", SEED_TIME, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("defaultFileName");
  }

  @Test
  void renamed_putsEightHexDigitsOfTheRequestIdsSha256BeforeTheExtension() {
    String renamed = ObjectKeys.renamed("tmp/20250816163104-photo.jpg", "req-1");

    assertThat(renamed)
        .isEqualTo("tmp/20250816163104-photo-9456bdfa.jpg") // echo -n req-1 | sha256sum
        .isEqualTo(ObjectKeys.renamed("tmp/20250816163104-photo.jpg", "req-1"));
    assertThat(ObjectKeys.renamed("tmp/20250816163104-photo.jpg", "req-2")).isNotEqualTo(renamed);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "p/20250816163104-a.tar.gz | p/20250816163104-a.tar-HASH.gz",
        "p/20250816163104-README | p/20250816163104-README-HASH",
        "p/20250816163104-.bashrc | p/20250816163104-.bashrc-HASH",
        "p/20250816163104-notes. | p/20250816163104-notes.-HASH",
        "a/b/c/20250816163104-x.y | a/b/c/20250816163104-x-HASH.y",
        "u/one.bin | u/one-HASH.bin",
      })
  void renamed_keepsTheExtension_fromTheLastDotThatIsNeitherFirstNorLast(
      String key, String expected) {
    String hash = sha256Hex("r").substring(0, 8);

    assertThat(ObjectKeys.renamed(key, "r")).isEqualTo(expected.replace("HASH", hash));
  }

  @Test
  void renamed_ofAKeyNearTheLimit_dropsWholeCharactersOfTheStemToFit() {
    String prefix = "p".repeat(500);
    String stem = "é".repeat(250); // 2 bytes each
    String key = ObjectKeys.key(prefix, SEED_TIME, stem + ".txt");
    assertThat(key.getBytes(UTF_8)).hasSizeLessThanOrEqualTo(ObjectKeys.MAX_KEY_BYTES);

    String renamed = ObjectKeys.renamed(key, "r");

    // 1,020 bytes + 9 is 5 too many: three 2-byte characters go, never half of one
    assertThat(renamed)
        .isEqualTo(
            prefix
                + "/20250816163104-"
                + "é".repeat(247)
                + "-"
                + sha256Hex("r").substring(0, 8)
                + ".txt");
    assertThat(renamed.getBytes(UTF_8)).hasSize(1023);
  }

  @Test
  void renamed_ofAKeyWhoseHeadAloneLeavesNoRoom_isRefused() {
    String key = "p".repeat(1010) + "/20250816163104-a";

    assertThatThrownBy(() -> ObjectKeys.renamed(key, "r"))
        .isInstanceOf(InvalidKeyException.class)
        .hasMessageStartingWith("no renamed key fits in 1024 bytes");
  }

  private static String sha256Hex(String text) {
    return java.util.HexFormat.of().formatHex(RequestIdMetadata.sha256(text));
  }
}
