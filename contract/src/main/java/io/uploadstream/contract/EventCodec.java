package io.uploadstream.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Objects;

/**
 * JSON (UTF-8, camelCase) for events: encodes requests (for publishers), results and progress
 * events (for the processor), decodes results and progress events (for readers). Requests are
 * decoded by {@link RequestDecoder}, which also checks untrusted input. Absent values are omitted,
 * instants are ISO-8601 strings in UTC. Thread-safe.
 */
public final class EventCodec {

  private EventCodec() {}

  public static byte[] encode(UploadRequest request) {
    return write(Objects.requireNonNull(request, "request"));
  }

  public static byte[] encode(UploadResult result) {
    return write(Objects.requireNonNull(result, "result"));
  }

  public static byte[] encode(UploadProgress progress) {
    return write(Objects.requireNonNull(progress, "progress"));
  }

  /**
   * Reads a progress event; unknown properties are ignored and an absent {@code schemaVersion}
   * means 1, as for results.
   *
   * @throws IllegalArgumentException if {@code json} is not a JSON object that binds to a progress
   *     event
   */
  public static UploadProgress decodeProgress(byte[] json) {
    Objects.requireNonNull(json, "json");
    try {
      JsonNode tree = EventJson.MAPPER.readTree(json);
      if (tree == null || !tree.isObject()) {
        throw new IllegalArgumentException("not a progress event: the top level is not an object");
      }
      ((ObjectNode) tree)
          .putIfAbsent("schemaVersion", IntNode.valueOf(UploadRequest.CURRENT_SCHEMA_VERSION));
      return EventJson.MAPPER.treeToValue(tree, UploadProgress.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a progress event: " + firstLine(e), e);
    }
  }

  /**
   * Reads a result written by this or a later version-1 processor: unknown properties are ignored,
   * an absent {@code schemaVersion} means 1 and an error code this version does not know reads as
   * {@link ErrorCode#UNKNOWN} (newer processors may add codes). The result is not checked against
   * the schema (see {@link EventSchemas#validateResult}).
   *
   * @throws IllegalArgumentException if {@code json} is not a JSON object that binds to a result,
   *     e.g. a missing {@code requestId} or status, an unknown status, or a FAILED result without
   *     an error
   */
  public static UploadResult decodeResult(byte[] json) {
    Objects.requireNonNull(json, "json");
    try {
      JsonNode tree = EventJson.MAPPER.readTree(json);
      if (tree == null || !tree.isObject()) {
        throw new IllegalArgumentException("not an upload result: the top level is not an object");
      }
      ((ObjectNode) tree)
          .putIfAbsent("schemaVersion", IntNode.valueOf(UploadRequest.CURRENT_SCHEMA_VERSION));
      readUnknownErrorCodeAsUnknown(tree.path("error"));
      return EventJson.MAPPER.treeToValue(tree, UploadResult.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not an upload result: " + firstLine(e), e);
    }
  }

  /**
   * {@code json} (an event that decoded) as one line of compact JSON, every property kept: what a
   * reader prints when fields or codes of a newer version must survive.
   *
   * @throws IllegalArgumentException if {@code json} is not JSON
   */
  public static String oneLine(byte[] json) {
    Objects.requireNonNull(json, "json");
    try {
      return EventJson.MAPPER.writeValueAsString(EventJson.MAPPER.readTree(json));
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + firstLine(e), e);
    }
  }

  private static void readUnknownErrorCodeAsUnknown(JsonNode error) {
    JsonNode code = error.path("code");
    if (code.isTextual() && !ErrorCode.isKnown(code.asText())) {
      ((ObjectNode) error).put("code", ErrorCode.UNKNOWN.name());
    }
  }

  private static byte[] write(Object event) {
    try {
      return EventJson.MAPPER.writeValueAsBytes(event);
    } catch (JsonProcessingException e) {
      // Records of strings, numbers and instants always serialise; this is a bug, not bad input.
      throw new IllegalStateException("cannot encode " + event.getClass().getSimpleName(), e);
    }
  }

  private static String firstLine(Exception e) {
    String message = String.valueOf(e.getMessage());
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
