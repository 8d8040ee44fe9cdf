package io.uploadstream.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the request's strings that are not well-formed Unicode. JSON lets a record escape a lone
 * UTF-16 surrogate ({@code "\ud800"}); Java keeps it, but UTF-8 cannot encode it, so it turns into
 * {@code ?} on the way to Kafka keys, S3 keys and metadata, and two different requestIds or paths
 * would become one. Only the contract's fields are checked: unknown fields are ignored anyway.
 */
final class UnpairedSurrogates {
  /**
   * The upload-request schema's properties (a test keeps them in step); only strings and objects of
   * strings can hold text.
   */
  static final Set<String> FIELDS =
      Set.of(
          "schemaVersion",
          "requestId",
          "filePath",
          "prefix",
          "fileName",
          "contentType",
          "requestedAt",
          "metadata",
          "cacheControl",
          "contentDisposition",
          "storageClass",
          "tags",
          "afterUpload");

  private UnpairedSurrogates() {}

  /** One violation per field, in the schema validator's style ({@code "$.requestId: ..."}). */
  static List<String> in(JsonNode request) {
    List<String> violations = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : request.properties()) {
      if (FIELDS.contains(field.getKey()) && !wellFormed(field.getValue())) {
        violations.add(
            "$." + field.getKey() + ": has an unpaired UTF-16 surrogate, not well-formed Unicode");
      }
    }
    return violations;
  }

  /**
   * A string, or an object whose names and string values are all well-formed. (Jackson already
   * refuses a broken surrogate in a property name; checking names too keeps that a fact here.)
   */
  private static boolean wellFormed(JsonNode value) {
    if (value.isTextual()) {
      return isWellFormed(value.asText());
    }
    for (Map.Entry<String, JsonNode> entry : value.properties()) {
      if (!isWellFormed(entry.getKey())
          || (entry.getValue().isTextual() && !isWellFormed(entry.getValue().asText()))) {
        return false;
      }
    }
    return true;
  }

  /** True when every high surrogate is followed by a low one and every low one preceded by one. */
  static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++; // a pair: skip its low half
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
