package io.uploadstream.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventSchemasTest {

  private static final EventSchemas SCHEMAS = RepositorySchemas.load();
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Path> validExamples() throws IOException {
    return jsonFiles(RepositorySchemas.EXAMPLES);
  }

  static Stream<Path> invalidExamples() throws IOException {
    return jsonFiles(RepositorySchemas.INVALID_EXAMPLES);
  }

  @ParameterizedTest
  @MethodSource("validExamples")
  void validExample_passesItsSchema(Path example) {
    assertThat(validate(example)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("invalidExamples")
  void invalidExample_failsItsSchema(Path example) {
    assertThat(validate(example)).isNotEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          upload-progress.negative-bytes-done.json          | $.bytesDone: must have a minimum value of 0
          upload-request.bad-after-upload.json              | $.afterUpload: does not have a value in the enumeration
          upload-request.bad-content-type.json              | $.contentType: does not match
          upload-request.bad-requested-at.json              | $.requestedAt: does not match the date-time
          upload-request.bad-storage-class.json             | $.storageClass: does not match the regex
          upload-request.cache-control-with-newline.json    | $.cacheControl: does not match the regex
          upload-request.empty-request-id.json              | $.requestId: must be at least 1
          upload-request.file-path-not-a-string.json        | $.filePath: integer found, string expected
          upload-request.metadata-name-not-a-header-token.json | $.metadata: property 'uploaded by' name is not valid
          upload-request.metadata-too-many-entries.json     | $.metadata: must have at most 8 properties
          upload-request.metadata-value-not-a-string.json   | $.metadata.width: integer found
          upload-request.missing-file-path.json             | $: required property 'filePath' not found
          upload-request.missing-prefix.json                | $: required property 'prefix' not found
          upload-request.missing-request-id.json            | $: required property 'requestId' not found
          upload-request.request-id-with-newline.json       | $.requestId: does not match the regex
          upload-request.reserved-metadata-name.json        | $.metadata: property 'upload-stream-request-id' name is not valid
          upload-request.schema-version-2.json              | $.schemaVersion: must be the constant value '1'
          upload-request.tag-key-reserved.json              | $.tags: property 'aws:createdBy' name is not valid
          upload-request.tag-key-too-long.json              | $.tags: property 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk' name is not valid
          upload-request.tag-value-too-long.json            | $.tags.note: must be at most 256 characters long
          upload-request.too-many-tags.json                 | $.tags: must have at most 10 properties
          upload-request.top-level-array.json               | $: array found, object expected
          upload-result.bad-completed-at.json               | $.completedAt: does not match the date-time
          upload-result.failed-without-error.json           | $: required property 'error' not found
          upload-result.missing-schema-version.json         | $: required property 'schemaVersion' not found
          upload-result.negative-size.json                  | $.size: must have a minimum value of 0
          upload-result.succeeded-with-error.json           | $.error: schema for 'error' is false
          upload-result.succeeded-without-key.json          | $: required property 'key' not found
          upload-result.unknown-error-code.json             | $.error.code: does not have a value in the enumeration
          upload-result.unknown-status.json                 | $.status: does not have a value in the enumeration
          """)
  void invalidExample_failsForTheReasonItIsNamedAfter(String example, String violation) {
    assertThat(validate(RepositorySchemas.INVALID_EXAMPLES.resolve(example)))
        .singleElement()
        .asString()
        .startsWith(violation);
  }

  @Test
  void examples_coverBothSchemasAndBothOutcomes() throws IOException {
    assertThat(validExamples().map(path -> path.getFileName().toString()))
        .contains(
            "upload-request.minimal.json",
            "upload-request.full.json",
            "upload-result.succeeded.json",
            "upload-result.failed.json",
            "upload-result.key-conflict.json",
            "upload-result.source-delete-pending.json",
            "upload-progress.halfway.json");
    assertThat(invalidExamples()).hasSizeGreaterThanOrEqualTo(10);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        EventSchemas.REQUEST_SCHEMA,
        EventSchemas.RESULT_SCHEMA,
        EventSchemas.PROGRESS_SCHEMA
      })
  void packagedSchema_isTheFileInTheRepository(String name) throws IOException {
    try (InputStream packaged = EventSchemas.class.getResourceAsStream("/schemas/" + name)) {
      assertThat(packaged).as("packaged /schemas/" + name).isNotNull();
      assertThat(packaged.readAllBytes())
          .isEqualTo(Files.readAllBytes(RepositorySchemas.DIR.resolve(name)));
    }
  }

  @Test
  void resultSchema_listsExactlyTheErrorCodes() throws IOException {
    JsonNode codes =
        readJson(RepositorySchemas.DIR.resolve(EventSchemas.RESULT_SCHEMA))
            .at("/properties/error/properties/code/enum");

    assertThat(codes)
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(ErrorCode.values())
                .filter(ErrorCode::isWritten)
                .map(Enum::name)
                .toList());
  }

  @Test
  void metadataLimits_keepUserMetadataWithinS3s2KiB() throws IOException {
    JsonNode metadata =
        readJson(RepositorySchemas.DIR.resolve(EventSchemas.REQUEST_SCHEMA))
            .at("/properties/metadata");
    int entries = metadata.get("maxProperties").asInt();
    int nameChars = metadata.at("/propertyNames/maxLength").asInt();
    int valueChars = metadata.at("/additionalProperties/maxLength").asInt();
    int headerPrefixBytes = "x-amz-meta-".length();

    // Names and values are ASCII by pattern, so characters are bytes.
    assertThat(entries * (headerPrefixBytes + nameChars + valueChars)).isLessThanOrEqualTo(2048);
  }

  @Test
  void violation_namesTheFieldAndTheProblem() {
    ObjectNode request = minimalRequest().put("requestId", "r".repeat(129));

    assertThat(SCHEMAS.validateRequest(request))
        .containsExactly("$.requestId: must be at most 128 characters long");
  }

  @Test
  void violation_ofAMissingField_namesIt() {
    ObjectNode request = minimalRequest();
    request.remove("prefix");

    assertThat(SCHEMAS.validateRequest(request)).singleElement().asString().contains("'prefix'");
  }

  @Test
  void dateTimeFormat_isAsserted_notJustAnnotated() {
    ObjectNode request = minimalRequest().put("requestedAt", "2025-02-30T10:00:00Z");

    assertThat(SCHEMAS.validateRequest(request))
        .singleElement()
        .asString()
        .startsWith("$.requestedAt:");
  }

  @Test
  void requestIdPattern_rejectsATrailingNewline() {
    // Java's '$' matches before a final line break; the validator must anchor at the very end.
    ObjectNode request = minimalRequest().put("requestId", "req-1\n");

    assertThat(SCHEMAS.validateRequest(request)).isNotEmpty();
  }

  @Test
  void classpathSchemas_agreeWithTheRepositoryFiles() throws IOException {
    EventSchemas packaged = EventSchemas.fromClasspath();

    for (Path example : validExamples().toList()) {
      assertThat(validateWith(packaged, example)).as(example.toString()).isEmpty();
    }
    for (Path example : invalidExamples().toList()) {
      assertThat(validateWith(packaged, example)).as(example.toString()).isNotEmpty();
    }
  }

  private static List<String> validate(Path example) {
    return validateWith(SCHEMAS, example);
  }

  private static List<String> validateWith(EventSchemas schemas, Path example) {
    String name = example.getFileName().toString();
    JsonNode event = readJson(example);
    if (name.startsWith("upload-request.")) {
      return schemas.validateRequest(event);
    }
    if (name.startsWith("upload-result.")) {
      return schemas.validateResult(event);
    }
    if (name.startsWith("upload-progress.")) {
      return schemas.validateProgress(event);
    }
    throw new AssertionError(
        "example name must start with upload-request., upload-result. or upload-progress.");
  }

  private static ObjectNode minimalRequest() {
    return JSON.createObjectNode()
        .put("requestId", "req-0001")
        .put("filePath", "/data/uploads/11.png")
        .put("prefix", "tmp");
  }

  private static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Stream<Path> jsonFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(file -> file.toString().endsWith(".json")).sorted().toList().stream();
    }
  }
}
