package io.uploadstream.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.uploadstream.contract.DecodeResult.Decoded;
import io.uploadstream.contract.DecodeResult.Reason;
import io.uploadstream.contract.DecodeResult.Rejected;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestDecoderTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MINIMAL =
      "{\"requestId\":\"req-0001\",\"filePath\":\"/data/uploads/11.png\",\"prefix\":\"tmp\"}";

  private final RequestDecoder decoder = new RequestDecoder();

  @Test
  void minimalRequest_decodesWithDefaults() {
    assertThat(decode(MINIMAL))
        .isEqualTo(new Decoded(UploadRequest.of("req-0001", "/data/uploads/11.png", "tmp")));
  }

  @Test
  void fullRequest_decodesEveryField() {
    String json =
        """
        {"schemaVersion":1,"requestId":"r1","filePath":"/data/年度 报告.pdf","prefix":"reports/2025",
         "fileName":"年度 报告 😀.pdf","contentType":"application/pdf",
         "requestedAt":"2025-08-16T16:31:04Z","metadata":{"uploaded-by":"alice","source":"mobile"}}
        """;

    assertThat(decode(json))
        .isEqualTo(
            new Decoded(
                new UploadRequest(
                    1,
                    "r1",
                    "/data/年度 报告.pdf",
                    "reports/2025",
                    "年度 报告 😀.pdf",
                    "application/pdf",
                    Instant.parse("2025-08-16T16:31:04Z"),
                    Map.of("uploaded-by", "alice", "source", "mobile"))));
  }

  @Test
  void unknownFields_areIgnored() {
    ObjectNode json = minimal();
    json.put("priority", "high");
    json.putArray("labels").add("a").add(1);
    json.putObject("future").putObject("nested").put("x", true);

    assertThat(decode(json.toString()))
        .isEqualTo(new Decoded(UploadRequest.of("req-0001", "/data/uploads/11.png", "tmp")));
  }

  @Test
  void objectOptionsAndAfterUpload_areDecoded() {
    ObjectNode json = minimal();
    json.put("cacheControl", "public, max-age=60")
        .put("contentDisposition", "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf")
        .put("storageClass", "STANDARD_IA")
        .put("afterUpload", "delete");
    json.putObject("tags").put("team", "uploads").put("note", "a b/c").put("città", "Zürich");

    UploadRequest request = ((Decoded) decode(json.toString())).request();

    assertThat(request.cacheControl()).isEqualTo("public, max-age=60");
    assertThat(request.contentDisposition())
        .isEqualTo("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");
    assertThat(request.storageClass()).isEqualTo("STANDARD_IA");
    assertThat(request.tags())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("team", "uploads", "note", "a b/c", "città", "Zürich"));
    assertThat(request.afterUpload()).isEqualTo(AfterUpload.DELETE);
    assertThat(request.deletesSource()).isTrue();
    assertThat(EventCodec.encode(request))
        .asString(java.nio.charset.StandardCharsets.UTF_8)
        .contains("\"afterUpload\":\"delete\"", "\"tags\":{");
  }

  @Test
  void afterUploadKeep_keepsTheFile() {
    ObjectNode json = minimal().put("afterUpload", "keep");

    assertThat(((Decoded) decode(json.toString())).request().deletesSource()).isFalse();
  }

  @Test
  void nullOptionalFields_meanAbsent() {
    ObjectNode json = minimal();
    json.putNull("fileName").putNull("contentType").putNull("requestedAt").putNull("metadata");
    json.putNull("cacheControl").putNull("contentDisposition").putNull("storageClass");
    json.putNull("tags").putNull("afterUpload");

    assertThat(decode(json.toString()))
        .isEqualTo(new Decoded(UploadRequest.of("req-0001", "/data/uploads/11.png", "tmp")));
  }

  @ParameterizedTest
  @CsvSource({
    "2025-08-16T16:31:04Z,              2025-08-16T16:31:04Z",
    "2025-08-17T00:31:04+08:00,         2025-08-16T16:31:04Z",
    "2025-08-16T11:31:04-05:00,         2025-08-16T16:31:04Z",
    "2025-08-16t16:31:04z,              2025-08-16T16:31:04Z",
    "2025-08-16 16:31:04Z,              2025-08-16T16:31:04Z",
    "2025-08-16T16:31:04.123456789Z,    2025-08-16T16:31:04.123456789Z"
  })
  void requestedAt_isReadAsAnInstant(String requestedAt, Instant expected) {
    Decoded decoded = (Decoded) decode(minimal().put("requestedAt", requestedAt).toString());

    assertThat(decoded.request().requestedAt()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"requestId", "filePath", "prefix"})
  void missingRequiredField_isRejected(String field) {
    ObjectNode json = minimal();
    json.remove(field);

    Rejected rejected = (Rejected) decode(json.toString());

    assertThat(rejected.reason()).isEqualTo(Reason.SCHEMA_VIOLATION);
    assertThat(rejected.message()).isEqualTo("$: required property '" + field + "' not found");
  }

  @Test
  void schemaViolation_withAUsableRequestId_echoesItWithFilePathAndPrefix() {
    Rejected rejected =
        (Rejected) decode("{\"requestId\":\"r-1\",\"file_path\":\"/x/a.png\",\"prefix\":\"tmp\"}");

    assertThat(rejected.reason()).isEqualTo(Reason.SCHEMA_VIOLATION);
    assertThat(rejected.message()).isEqualTo("$: required property 'filePath' not found");
    assertThat(rejected.echo()).contains(new DecodeResult.Echo("r-1", null, "tmp"));
  }

  @Test
  void schemaViolation_echoesOnlyStringsTheResultSchemaAllows() {
    Rejected rejected =
        (Rejected)
            decode(
                "{\"requestId\":\"r-2\",\"filePath\":\"/x/a.png\",\"prefix\":7,\"extra\":1,\"schemaVersion\":2}");

    assertThat(rejected.echo()).contains(new DecodeResult.Echo("r-2", "/x/a.png", null));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"filePath\":\"/x\",\"prefix\":\"tmp\"}",
        "{\"requestId\":42,\"filePath\":\"/x\",\"prefix\":\"tmp\"}",
        "{\"requestId\":\"\",\"filePath\":\"/x\",\"prefix\":\"tmp\"}",
        "{\"requestId\":\"a\\nb\",\"filePath\":\"/x\",\"prefix\":\"tmp\"}",
        "[{\"requestId\":\"r-1\"}]",
        "{\"requestId\":\"r-1\",",
      })
  void rejected_withoutAUsableRequestId_hasNothingToEcho(String record) {
    assertThat(((Rejected) decode(record)).echo()).isEmpty();
  }

  @Test
  void requestIdOf129CodePoints_isNotEchoed_128AreEvenInSurrogatePairs() {
    String emoji = "\uD83D\uDE00"; // one code point, two chars
    String ok = "{\"requestId\":\"" + emoji.repeat(128) + "\",\"prefix\":\"tmp\"}";
    String tooLong = "{\"requestId\":\"" + emoji.repeat(129) + "\",\"prefix\":\"tmp\"}";

    assertThat(((Rejected) decode(ok)).echo()).isPresent();
    assertThat(((Rejected) decode(tooLong)).echo()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          requestId     | 42
          requestId     | null
          filePath      | true
          prefix        | ["tmp"]
          fileName      | 11
          contentType   | {}
          requestedAt   | 1755361864
          metadata      | "a=b"
          metadata      | ["a"]
          schemaVersion | "1"
          schemaVersion | 1.5
          schemaVersion | 2
          """)
  void wrongType_isRejected(String field, String value) {
    String json = MINIMAL.replace("}", ",\"" + field + "\":" + value + "}");
    json = json.replaceFirst("\"" + field + "\":\"[^\"]*\",", ""); // drop the valid original

    assertThat(decode(json))
        .isInstanceOfSatisfying(
            Rejected.class,
            rejected -> {
              assertThat(rejected.reason()).isEqualTo(Reason.SCHEMA_VIOLATION);
              assertThat(rejected.message()).startsWith("$." + field + ":");
            });
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"width":640}                      | $.metadata.width: integer found, string expected
          {"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6","g":"7","h":"8","i":"9"} | $.metadata: must have at most 8 properties
          {"uploaded by":"alice"}            | $.metadata: property 'uploaded by' name is not valid
          {"author":"Zoë"}                   | $.metadata.author: does not match the regex pattern
          """)
  void metadataOutsideTheLimits_isRejected(String metadata, String violation) {
    String json = MINIMAL.replace("}", ",\"metadata\":" + metadata + "}");

    assertThat(decode(json))
        .isInstanceOfSatisfying(
            Rejected.class, rejected -> assertThat(rejected.message()).startsWith(violation));
  }

  /** The processor stores the requestId as upload-stream-request-id; users cannot forge it. */
  @ParameterizedTest
  @ValueSource(
      strings = {"upload-stream-request-id", "Upload-Stream-Request-Id", "UPLOAD-STREAM-x"})
  void metadataNameWithTheReservedPrefix_isRejected(String name) {
    String json = MINIMAL.replace("}", ",\"metadata\":{\"" + name + "\":\"req-other\"}}");

    assertThat(decode(json))
        .isInstanceOfSatisfying(
            Rejected.class,
            rejected -> {
              assertThat(rejected.reason()).isEqualTo(Reason.SCHEMA_VIOLATION);
              assertThat(rejected.message()).startsWith("$.metadata");
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"upload-streamer", "x-upload-stream-id", "upload-stream"})
  void metadataNameMerelyLikeTheReservedPrefix_isAccepted(String name) {
    String json = MINIMAL.replace("}", ",\"metadata\":{\"" + name + "\":\"v\"}}");

    assertThat(decode(json)).isInstanceOf(Decoded.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2025-08-16",
        "2025-08-16T16:31:04",
        "2025-08-16T16:31:04.1234567891Z",
        "2025-08-16T23:59:60Z",
        "2025-08-16_16:31:04Z",
        "2025-13-01T00:00:00Z",
        "2025-02-30T00:00:00Z",
        "2025-08-16T24:00:01Z",
        "1755361864",
        "yesterday"
      })
  void badDateTime_isRejected(String requestedAt) {
    assertThat(decode(minimal().put("requestedAt", requestedAt).toString()))
        .isInstanceOfSatisfying(
            Rejected.class,
            rejected -> {
              assertThat(rejected.reason()).isEqualTo(Reason.SCHEMA_VIOLATION);
              assertThat(rejected.message()).startsWith("$.requestedAt:");
            });
  }

  @Test
  void requestIdOf128Chars_isAccepted_129_isRejected() {
    assertThat(decode(minimal().put("requestId", "r".repeat(128)).toString()))
        .isInstanceOf(Decoded.class);
    assertThat(decode(minimal().put("requestId", "r".repeat(129)).toString()))
        .isEqualTo(
            new Rejected(
                Reason.SCHEMA_VIOLATION, "$.requestId: must be at most 128 characters long"));
  }

  @Test
  void requestIdOf128SupplementaryChars_isAccepted() {
    // Limits count characters (code points), not UTF-16 units or bytes.
    assertThat(decode(minimal().put("requestId", "😀".repeat(128)).toString()))
        .isInstanceOf(Decoded.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"\u0000", "\t", "\n", "\r", "\u001F", "\u007F", "\u0085", "\u009F"})
  void controlCharacterInRequestId_isRejected(String control) {
    // Jackson writes the control character as a JSON escape, so the JSON itself is valid.
    String json = minimal().put("requestId", "req" + control + "1").toString();

    assertThat(decode(json))
        .isInstanceOfSatisfying(
            Rejected.class,
            rejected -> {
              assertThat(rejected.reason()).isEqualTo(Reason.SCHEMA_VIOLATION);
              assertThat(rejected.message()).startsWith("$.requestId: does not match");
            });
  }

  @ParameterizedTest
  @ValueSource(strings = {"c-sur\\ud800", "c-sur\\udc00", "\\ud800c-sur", "c-\\udc00\\ud800-sur"})
  void unpairedSurrogateInRequestId_isRejected_withNothingToEcho(String escapedRequestId) {
    // A lone surrogate would be encoded as "?" and share its object and key with "c-sur?".
    String json =
        "{\"requestId\":\"" + escapedRequestId + "\",\"filePath\":\"/x\",\"prefix\":\"p\"}";

    Rejected rejected = (Rejected) decode(json);

    assertThat(rejected.reason()).isEqualTo(Reason.SCHEMA_VIOLATION);
    assertThat(rejected.message())
        .startsWith("$.requestId: ")
        .contains("unpaired UTF-16 surrogate");
    assertThat(rejected.echo()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          "filePath":"/data/a\\ud800.png"              | $.filePath:
          "prefix":"tmp\\udfff"                        | $.prefix:
          "fileName":"\\ud83d.png"                     | $.fileName:
          "metadata":{"k":"v\\ud800"}                  | $.metadata
          "tags":{"team":"a\\udc00"}                   | $.tags
          "contentDisposition":"inline\\ud800"         | $.contentDisposition
          """)
  void unpairedSurrogateInAnotherField_isRejected_andAnsweredToTheRequestId(
      String field, String violation) {
    String json =
        "{\"requestId\":\"r-1\",\"filePath\":\"/x\",\"prefix\":\"p\","
                .replace("\"" + field.substring(1, field.indexOf('"', 1)) + "\":", "\"unused\":")
            + field
            + "}";

    Rejected rejected = (Rejected) decode(json);

    assertThat(rejected.reason()).isEqualTo(Reason.SCHEMA_VIOLATION);
    assertThat(rejected.message()).startsWith(violation).contains("unpaired UTF-16 surrogate");
    assertThat(rejected.echo()).map(DecodeResult.Echo::requestId).contains("r-1");
  }

  @Test
  void unpairedSurrogateInAPropertyName_isInvalidJson_refusedByTheParser() {
    String json = MINIMAL.replace("}", ",\"metadata\":{\"k\\ud800\":\"v\"}}");

    assertThat(decode(json))
        .isInstanceOfSatisfying(
            Rejected.class,
            rejected -> {
              assertThat(rejected.reason()).isEqualTo(Reason.INVALID_JSON);
              assertThat(rejected.message()).startsWith("Broken surrogate pair in field name");
            });
  }

  @Test
  void unpairedSurrogateInFilePath_isNotEchoed() {
    String json = "{\"requestId\":\"r-1\",\"filePath\":\"/a\\ud800\",\"prefix\":\"p\\udc00\"}";

    assertThat(((Rejected) decode(json)).echo()).contains(new DecodeResult.Echo("r-1", null, null));
  }

  @Test
  void escapedSurrogatePair_isAccepted() {
    String json = "{\"requestId\":\"r-\\ud83d\\ude00\",\"filePath\":\"/x\",\"prefix\":\"p\"}";

    assertThat(decode(json)).isEqualTo(new Decoded(UploadRequest.of("r-\uD83D\uDE00", "/x", "p")));
  }

  @Test
  void unpairedSurrogateInAnUnknownField_isIgnoredLikeTheField() {
    assertThat(decode(MINIMAL.replace("}", ",\"note\":\"\\ud800\"}"))).isInstanceOf(Decoded.class);
  }

  @Test
  void rawControlCharacterInAString_isInvalidJson() {
    String json = MINIMAL.replace("req-0001", "req\u00011");

    assertThat(decode(json)).extracting("reason").isEqualTo(Reason.INVALID_JSON);
  }

  static Stream<Arguments> invalidUtf8() {
    return Stream.of(
        Arguments.of("a lone continuation byte", new byte[] {(byte) 0x80}),
        Arguments.of("a byte never used in UTF-8", new byte[] {(byte) 0xFF}),
        Arguments.of("an overlong '/'", new byte[] {(byte) 0xC0, (byte) 0xAF}),
        Arguments.of("an encoded surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
        Arguments.of("a truncated sequence", new byte[] {(byte) 0xE4, (byte) 0xB8}),
        Arguments.of(
            "a code point above U+10FFFF",
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}),
        Arguments.of("Latin-1 'é'", new byte[] {(byte) 0xE9}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidUtf8")
  void invalidUtf8_isRejected_withItsOffset(String what, byte[] badBytes) {
    byte[] record = concat("{\"requestId\":\"".getBytes(UTF_8), badBytes, MINIMAL.substring(12));

    assertThat(decode(record))
        .isEqualTo(
            new Rejected(Reason.INVALID_UTF8, "the record is not valid UTF-8 at byte offset 14"));
  }

  @Test
  void recordOverTheLimit_isRejectedBeforeParsing() {
    RequestDecoder small = new RequestDecoder(MINIMAL.length());
    byte[] exact = MINIMAL.getBytes(UTF_8);
    byte[] oneOver = (MINIMAL + " ").getBytes(UTF_8);

    assertThat(small.decode(exact)).isInstanceOf(Decoded.class);
    assertThat(small.decode(oneOver))
        .isEqualTo(
            new Rejected(
                Reason.TOO_LARGE,
                "the record is " + oneOver.length + " bytes, the limit is " + exact.length));
  }

  @Test
  void recordOverOneMebibyte_isRejectedByDefault() {
    byte[] record = (MINIMAL + " ".repeat(RequestDecoder.DEFAULT_MAX_RECORD_BYTES)).getBytes(UTF_8);

    assertThat(decode(record)).extracting("reason").isEqualTo(Reason.TOO_LARGE);
  }

  @Test
  void recordWithinOneMebibyte_isParsedEvenWhenPadded() {
    int padding = RequestDecoder.DEFAULT_MAX_RECORD_BYTES - MINIMAL.length();
    byte[] record = (MINIMAL + " ".repeat(padding)).getBytes(UTF_8);

    assertThat(decode(record)).isInstanceOf(Decoded.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[", "{\"a\":"})
  void tenThousandDeepNesting_isRejectedQuickly_withoutStackOverflow(String opener) {
    String closer = opener.equals("[") ? "]" : "}";
    String bomb = opener.repeat(10_000) + "1" + closer.repeat(10_000);
    String json = MINIMAL.replace("}", ",\"extra\":" + bomb + "}");

    DecodeResult result = assertTimeout(Duration.ofSeconds(2), () -> decode(json));

    assertThat(result)
        .isInstanceOfSatisfying(
            Rejected.class,
            rejected -> {
              assertThat(rejected.reason()).isEqualTo(Reason.INVALID_JSON);
              assertThat(rejected.message()).contains("nesting depth");
            });
  }

  @Test
  void moderateNestingInAnUnknownField_isAccepted() {
    String nested = "[".repeat(60) + "]".repeat(60);

    assertThat(decode(MINIMAL.replace("}", ",\"extra\":" + nested + "}")))
        .isInstanceOf(Decoded.class);
  }

  @Test
  void hugeStringInAnUnknownField_isIgnoredLikeAnyUnknownField() {
    // 900 KB, within the record limit: the record size bounds strings, not the parser.
    String json = MINIMAL.replace("}", ",\"pad\":\"" + "x".repeat(900_000) + "\"}");

    assertThat(decode(json))
        .isEqualTo(new Decoded(UploadRequest.of("req-0001", "/data/uploads/11.png", "tmp")));
  }

  @Test
  void hundredThousandCharCacheControl_isASchemaViolation_answeredToItsRequestId() {
    String json =
        "{\"schemaVersion\":1,\"requestId\":\"o-cc-huge\",\"filePath\":\"/x\",\"prefix\":\"p\","
            + "\"cacheControl\":\""
            + "a".repeat(100_000)
            + "\"}";

    Rejected rejected = (Rejected) decode(json);

    assertThat(rejected.reason()).isEqualTo(Reason.SCHEMA_VIOLATION);
    assertThat(rejected.message())
        .isEqualTo("$.cacheControl: must be at most 1,024 characters long");
    assertThat(rejected.echo()).contains(new DecodeResult.Echo("o-cc-huge", "/x", "p"));
  }

  @Test
  void stringOfThreeMillionChars_isRead_whenTheRecordLimitAllowsIt() {
    RequestDecoder large = new RequestDecoder(4 * 1024 * 1024);
    String json = MINIMAL.replace("}", ",\"pad\":\"" + "x".repeat(3_000_000) + "\"}");

    assertThat(large.decode(json.getBytes(UTF_8))).isInstanceOf(Decoded.class);
  }

  @Test
  void fiveThousandDigitNumber_isRejectedQuickly_asInvalidJson_andAnsweredToItsRequestId() {
    String json = MINIMAL.replace("}", ",\"n\":" + "9".repeat(5_000) + "}");

    DecodeResult result = assertTimeout(Duration.ofSeconds(2), () -> decode(json));

    assertThat(result)
        .isInstanceOfSatisfying(
            Rejected.class,
            rejected -> {
              assertThat(rejected.reason()).isEqualTo(Reason.INVALID_JSON);
              assertThat(rejected.message()).contains("Number value length");
              assertThat(rejected.echo())
                  .contains(new DecodeResult.Echo("req-0001", "/data/uploads/11.png", "tmp"));
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"requestId\":\"r-1\",\"n\":NUMBER",
        "{\"requestId\":\"r-1\",\"n\":NUMBER}x",
        "{\"requestId\":\"r-1\",\"n\":NUMBER,\"requestId\":\"r-2\"}",
        "{\"requestId\":\"r-1\",\"n\":[NUMBER,{\"a\":}]}",
        "[{\"requestId\":\"r-1\"},NUMBER]"
      })
  void overLongNumber_inBrokenJsonOrNoObject_hasNothingToEcho(String template) {
    Rejected rejected = (Rejected) decode(template.replace("NUMBER", "9".repeat(5_000)));

    assertThat(rejected.reason()).isEqualTo(Reason.INVALID_JSON);
    assertThat(rejected.echo()).isEmpty();
  }

  @Test
  void megabyteNumber_isRejectedQuickly_andAnswered() {
    String json = MINIMAL.replace("}", ",\"n\":-" + "9".repeat(1_000_000) + ".5e7}");

    DecodeResult result = assertTimeout(Duration.ofSeconds(2), () -> decode(json));

    assertThat(((Rejected) result).echo()).map(DecodeResult.Echo::requestId).contains("req-0001");
  }

  @ParameterizedTest
  @NullAndEmptySource
  void emptyRecord_isRejected(byte[] record) {
    assertThat(decoder.decode(record))
        .isEqualTo(new Rejected(Reason.INVALID_JSON, "the record is empty"));
  }

  @Test
  void whitespaceOnly_isRejected() {
    assertThat(decode(" \n\t "))
        .isEqualTo(new Rejected(Reason.INVALID_JSON, "the record holds no JSON value"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          null               | null
          [1,2]              | array
          "a request"        | string
          42                 | number
          true               | boolean
          """)
  void nonObjectTopLevel_isRejected(String json, String type) {
    assertThat(decode(json))
        .isEqualTo(
            new Rejected(
                Reason.NOT_AN_OBJECT, "the top level is a JSON " + type + ", expected an object"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"requestId\":\"a\",\"requestId\":\"b\",\"filePath\":\"/f\",\"prefix\":\"tmp\"}",
        "{\"requestId\":\"a\",\"filePath\":\"/f\",\"prefix\":\"tmp\",\"metadata\":{\"k\":\"1\",\"k\":\"2\"}}"
      })
  void duplicateKeys_areRejected(String json) {
    assertThat(decode(json))
        .isInstanceOfSatisfying(
            Rejected.class,
            rejected -> {
              assertThat(rejected.reason()).isEqualTo(Reason.INVALID_JSON);
              assertThat(rejected.message()).startsWith("Duplicate field");
            });
  }

  @Test
  void utf8ByteOrderMark_isRejected() {
    // RFC 8259: JSON text must not begin with a BOM; we reject rather than guess.
    assertThat(decode("\uFEFF" + MINIMAL)).extracting("reason").isEqualTo(Reason.INVALID_JSON);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"requestId\":}", "{'requestId':'a'}", "{} {}", "{}x", "NaN"})
  void malformedJson_isRejected(String json) {
    assertThat(decode(json)).extracting("reason").isEqualTo(Reason.INVALID_JSON);
  }

  @Test
  void manyViolations_areReportedUpToTen() {
    ObjectNode metadata = minimal().putObject("metadata");
    for (int i = 0; i < 30; i++) {
      metadata.put("bad name " + i, i);
    }
    ObjectNode json = minimal().set("metadata", metadata);

    Rejected rejected = (Rejected) decode(json.toString());

    assertThat(rejected.message().split("; ")).hasSize(11);
    assertThat(rejected.message()).matches(".*; and \\d+ more$");
  }

  @Test
  void nonPositiveLimit_isRefused() {
    assertThatThrownBy(() -> new RequestDecoder(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxRecordBytes must be at least 1, was 0");
  }

  @Test
  void arbitraryBytes_neverThrow() {
    Random random = new Random(20250816);
    byte[] valid =
        "{\"requestId\":\"r\",\"filePath\":\"/f\",\"prefix\":\"p\",\"requestedAt\":\"2025-08-16T16:31:04Z\",\"metadata\":{\"k\":\"v\"}}"
            .getBytes(UTF_8);
    for (int i = 0; i < 5_000; i++) {
      byte[] mutated = valid.clone();
      for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
        mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
      }
      assertThat(decoder.decode(mutated)).isNotNull();
    }
  }

  private DecodeResult decode(String json) {
    return decoder.decode(json.getBytes(UTF_8));
  }

  private DecodeResult decode(byte[] record) {
    return decoder.decode(record);
  }

  private static ObjectNode minimal() {
    try {
      return (ObjectNode) JSON.readTree(MINIMAL);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] concat(byte[] head, byte[] middle, String tail) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head);
    out.writeBytes(middle);
    out.writeBytes(tail.getBytes(UTF_8));
    return out.toByteArray();
  }
}
