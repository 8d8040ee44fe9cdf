package io.uploadstream.contract;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uploadstream.contract.DecodeResult.Decoded;
import io.uploadstream.contract.UploadResult.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventCodecTest {

  private static final EventSchemas SCHEMAS = RepositorySchemas.load();
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Arguments> requests() {
    return Stream.of(
        Arguments.of("minimal", TestEvents.minimalRequest()),
        Arguments.of("full", TestEvents.fullRequest()));
  }

  static Stream<Arguments> results() {
    List<Arguments> results = new ArrayList<>();
    results.add(Arguments.of("succeeded", TestEvents.succeeded()));
    for (ErrorCode code : ErrorCode.values()) {
      if (!code.isWritten()) {
        continue;
      }
      results.add(Arguments.of("failed " + code, TestEvents.failed(code)));
      results.add(Arguments.of("failed early " + code, TestEvents.failedBare(code)));
    }
    return results.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void encodedRequest_matchesTheSchemaFile(String name, UploadRequest request) throws IOException {
    assertThat(SCHEMAS.validateRequest(tree(EventCodec.encode(request)))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("results")
  void encodedResult_matchesTheSchemaFile(String name, UploadResult result) throws IOException {
    assertThat(SCHEMAS.validateResult(tree(EventCodec.encode(result)))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void encodedRequest_usesOnlyPropertiesTheSchemaDeclares(String name, UploadRequest request)
      throws IOException {
    JsonNode schema =
        JSON.readTree(RepositorySchemas.DIR.resolve(EventSchemas.REQUEST_SCHEMA).toFile());

    assertThat(undeclaredFields(tree(EventCodec.encode(request)), schema, "$")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("results")
  void encodedResult_usesOnlyPropertiesTheSchemaDeclares(String name, UploadResult result)
      throws IOException {
    JsonNode schema =
        JSON.readTree(RepositorySchemas.DIR.resolve(EventSchemas.RESULT_SCHEMA).toFile());

    assertThat(undeclaredFields(tree(EventCodec.encode(result)), schema, "$")).isEmpty();
  }

  @Test
  void minimalRequest_omitsAbsentFieldsAndEmptyMetadata() {
    String json = new String(EventCodec.encode(TestEvents.minimalRequest()), UTF_8);

    assertThat(json)
        .isEqualTo(
            "{\"schemaVersion\":1,\"requestId\":\"req-0001\","
                + "\"filePath\":\"/data/uploads/11.png\",\"prefix\":\"tmp\"}");
  }

  @Test
  void oneLine_keepsFieldsAndCodesOfNewerVersions_onOneLine() throws IOException {
    String pretty =
        """
        {
          "requestId": "r-9",
          "status": "FAILED",
          "error": {"code": "QUOTA_EXCEEDED", "message": "a\\nb", "retryable": false},
          "futureField": {"nested": [1, 2]}
        }""";
    byte[] json = pretty.getBytes(UTF_8);

    String line = EventCodec.oneLine(json);

    assertThat(line).doesNotContain("\n").contains("\"futureField\"", "\"QUOTA_EXCEEDED\"");
    assertThat(tree(line.getBytes(UTF_8))).isEqualTo(tree(json));
    assertThat(EventCodec.decodeResult(json).error().code()).isEqualTo(ErrorCode.UNKNOWN);
    assertThatThrownBy(() -> EventCodec.oneLine("{not json".getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void result_echoesTheRequestsFilePathAndPrefix_afterItsRequestId() throws IOException {
    String json = new String(EventCodec.encode(TestEvents.succeeded()), UTF_8);

    assertThat(json)
        .startsWith(
            "{\"schemaVersion\":1,\"requestId\":\"req-0001\","
                + "\"filePath\":\"/data/uploads/11.png\",\"prefix\":\"tmp\",\"status\"");
    assertThat(EventCodec.decodeResult(json.getBytes(UTF_8)).filePath())
        .isEqualTo("/data/uploads/11.png");
  }

  @Test
  void instants_areIsoStringsInUtc() throws IOException {
    JsonNode result = tree(EventCodec.encode(TestEvents.succeeded()));

    assertThat(result.get("startedAt").asText()).isEqualTo("2025-08-16T16:31:05.120Z");
    assertThat(result.get("completedAt").asText()).isEqualTo("2025-08-16T16:31:07.884123456Z");
    assertThat(tree(EventCodec.encode(TestEvents.fullRequest())).get("requestedAt").asText())
        .isEqualTo("2025-08-16T16:31:04Z");
  }

  @Test
  void result_usesCamelCaseAndNestedObjects() throws IOException {
    JsonNode failed = tree(EventCodec.encode(TestEvents.failed(ErrorCode.FILE_CHANGED)));

    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.at("/error/code").asText()).isEqualTo("FILE_CHANGED");
    assertThat(failed.at("/error/retryable").isBoolean()).isTrue();
    assertThat(failed.has("size")).isFalse();
    assertThat(failed.has("etag")).isFalse();
    assertThat(tree(EventCodec.encode(TestEvents.succeeded())).at("/checksum/algorithm").asText())
        .isEqualTo("CRC32C");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void request_roundTripsThroughTheDecoder(String name, UploadRequest request) {
    assertThat(new RequestDecoder().decode(EventCodec.encode(request)))
        .isEqualTo(new Decoded(request));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("results")
  void result_roundTrips(String name, UploadResult result) {
    assertThat(EventCodec.decodeResult(EventCodec.encode(result))).isEqualTo(result);
  }

  @Test
  void decodeResult_ignoresUnknownFields_andDefaultsTheSchemaVersion() {
    String json =
        """
        {"requestId":"req-0001","status":"FAILED","newField":{"x":[1,2]},
         "error":{"code":"FILE_NOT_FOUND","message":"gone","retryable":false,"hint":"check"}}
        """;

    UploadResult result = EventCodec.decodeResult(json.getBytes(UTF_8));

    assertThat(result.schemaVersion()).isEqualTo(1);
    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.error().code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
  }

  @Test
  void decodeResult_readsAnErrorCodeItDoesNotKnowAsUnknown() {
    String json =
        """
        {"requestId":"r","status":"FAILED",
         "error":{"code":"DISK_ON_FIRE","message":"the disk is on fire","retryable":true}}
        """;

    UploadResult result = EventCodec.decodeResult(json.getBytes(UTF_8));

    assertThat(result.error().code()).isEqualTo(ErrorCode.UNKNOWN);
    assertThat(result.error().message()).isEqualTo("the disk is on fire");
    assertThat(result.error().retryable()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "null",
        "{\"requestId\":\"r\",\"status\":\"FAILED\"}",
        "{\"requestId\":\"r\",\"status\":\"SUCCEEDED\",\"error\":{\"code\":\"STORAGE_ERROR\",\"message\":\"m\",\"retryable\":true}}",
        "{\"status\":\"SUCCEEDED\"}",
        "{\"requestId\":\"r\",\"status\":\"PENDING\"}",
        "{\"requestId\":\"r\",\"status\":0}",
        "{\"requestId\":\"r\",\"status\":\"SUCCEEDED\",\"schemaVersion\":null}",
        "{\"requestId\":\"r\",\"requestId\":\"s\",\"status\":\"SUCCEEDED\"}",
        "{\"requestId\":\"r\",\"status\":\"SUCCEEDED\"} trailing"
      })
  void decodeResult_refusesWhatIsNotAResult(String json) {
    assertThatThrownBy(() -> EventCodec.decodeResult(json.getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not an upload result: ");
  }

  @Test
  void decodeResult_readsTheExampleFiles() throws IOException {
    Path examples = RepositorySchemas.EXAMPLES;

    UploadResult succeeded =
        EventCodec.decodeResult(
            java.nio.file.Files.readAllBytes(examples.resolve("upload-result.succeeded.json")));
    UploadResult failed =
        EventCodec.decodeResult(
            java.nio.file.Files.readAllBytes(examples.resolve("upload-result.failed.json")));

    assertThat(succeeded.succeeded()).isTrue();
    assertThat(succeeded.key()).isEqualTo("tmp/20250816163104-11.png");
    assertThat(succeeded.checksum().algorithm()).isEqualTo("CRC32C");
    assertThat(failed.error().code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
  }

  private static JsonNode tree(byte[] json) throws IOException {
    return JSON.readTree(json);
  }

  /**
   * Paths of fields the schema does not declare, descending into objects whose schema lists
   * properties (not into metadata, whose keys are free-form).
   */
  private static List<String> undeclaredFields(JsonNode event, JsonNode schema, String path) {
    List<String> undeclared = new ArrayList<>();
    JsonNode declared = schema.path("properties");
    for (Map.Entry<String, JsonNode> field : event.properties()) {
      String fieldPath = path + "." + field.getKey();
      JsonNode fieldSchema = declared.get(field.getKey());
      if (fieldSchema == null) {
        undeclared.add(fieldPath);
      } else if (field.getValue().isObject() && fieldSchema.has("properties")) {
        undeclared.addAll(undeclaredFields(field.getValue(), fieldSchema, fieldPath));
      }
    }
    return undeclared;
  }
}
