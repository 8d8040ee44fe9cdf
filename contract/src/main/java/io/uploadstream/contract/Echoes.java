package io.uploadstream.contract;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Picks out of a request that failed the schema (or a number's length limit) what its result can
 * echo: a {@code requestId} the schema would accept (1 to 128 characters, no control characters,
 * well-formed Unicode), and {@code filePath} and {@code prefix} when they are strings within the
 * result schema's limits.
 */
final class Echoes {
  /** The request schema's rule for requestId (which the result schema repeats): no controls. */
  private static final Pattern NO_CONTROLS = Pattern.compile("[^\\u0000-\\u001F\\u007F-\\u009F]*");

  private static final int MAX_REQUEST_ID_CHARS = 128;

  private static final Set<String> ECHOED = Set.of("requestId", "filePath", "prefix");

  private static final int MAX_FILE_PATH_CHARS = 4096;
  private static final int MAX_PREFIX_CHARS = 512;

  private Echoes() {}

  static Optional<DecodeResult.Echo> of(JsonNode request) {
    JsonNode requestId = request.get("requestId");
    if (requestId == null || !requestId.isTextual() || !usable(requestId.asText())) {
      return Optional.empty();
    }
    return Optional.of(
        new DecodeResult.Echo(
            requestId.asText(),
            text(request.get("filePath"), MAX_FILE_PATH_CHARS, true),
            text(request.get("prefix"), MAX_PREFIX_CHARS, false)));
  }

  /**
   * What a record the parser refused for a limit can echo, when the only limit it broke is the
   * length of a number: the top-level object is read again with numbers skipped, not converted.
   * Empty unless the whole record is then well-formed JSON, so broken JSON is never answered.
   */
  static Optional<DecodeResult.Echo> ofNumbersSkipped(String record) {
    ObjectNode echoed = JsonNodeFactory.instance.objectNode();
    try (JsonParser parser = EventJson.NUMBERS_SKIPPED.createParser(record)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        if (parser.nextToken() == JsonToken.VALUE_STRING && ECHOED.contains(name)) {
          echoed.put(name, parser.getText());
        }
        parser.skipChildren();
      }
      return parser.nextToken() == null ? of(echoed) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // broken in another way too: no answer, only the dead letter
    }
  }

  /** Lengths count code points, as JSON Schema's maxLength does. */
  private static boolean usable(String requestId) {
    int length = requestId.codePointCount(0, requestId.length());
    return length >= 1
        && length <= MAX_REQUEST_ID_CHARS
        && NO_CONTROLS.matcher(requestId).matches()
        && UnpairedSurrogates.isWellFormed(requestId);
  }

  private static String text(JsonNode value, int maxChars, boolean nonEmptyWithoutNul) {
    if (value == null || !value.isTextual()) {
      return null;
    }
    String text = value.asText();
    if (text.codePointCount(0, text.length()) > maxChars) {
      return null;
    }
    if (nonEmptyWithoutNul && (text.isEmpty() || text.indexOf(0) >= 0)) {
      return null;
    }
    if (!UnpairedSurrogates.isWellFormed(text)) {
      return null;
    }
    return text;
  }
}
