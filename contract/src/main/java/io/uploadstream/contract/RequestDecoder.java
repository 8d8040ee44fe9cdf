package io.uploadstream.contract;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.uploadstream.contract.DecodeResult.Decoded;
import io.uploadstream.contract.DecodeResult.Reason;
import io.uploadstream.contract.DecodeResult.Rejected;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the raw value of an upload-requests record into an {@link UploadRequest}, or says why it
 * cannot. It never throws on any input: every record either decodes or is rejected with a reason
 * the processor puts in the dead-letter headers. Checks, cheapest first: size, UTF-8, JSON syntax
 * and parser limits, top-level object, schema and well-formed Unicode, binding. Thread-safe.
 */
public final class RequestDecoder {

  public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

  /** Enough violations to fix a record; a header full of them helps nobody. */
  private static final int MAX_VIOLATIONS_REPORTED = 10;

  private final int maxRecordBytes;
  private final EventSchemas schemas;

  public RequestDecoder() {
    this(DEFAULT_MAX_RECORD_BYTES);
  }

  public RequestDecoder(int maxRecordBytes) {
    if (maxRecordBytes < 1) {
      throw new IllegalArgumentException(
          "maxRecordBytes must be at least 1, was " + maxRecordBytes);
    }
    this.maxRecordBytes = maxRecordBytes;
    this.schemas = EventSchemas.fromClasspath();
  }

  /** Decodes one record value; {@code null} (a tombstone) is rejected like an empty record. */
  public DecodeResult decode(byte[] record) {
    if (record == null || record.length == 0) {
      return new Rejected(Reason.INVALID_JSON, "the record is empty");
    }
    if (record.length > maxRecordBytes) {
      return new Rejected(
          Reason.TOO_LARGE,
          "the record is " + record.length + " bytes, the limit is " + maxRecordBytes);
    }
    ByteBuffer bytes = ByteBuffer.wrap(record);
    String text;
    try {
      text = strictUtf8().decode(bytes).toString();
    } catch (CharacterCodingException e) {
      // The decoder stops at the first bad sequence and leaves the buffer there.
      return new Rejected(
          Reason.INVALID_UTF8, "the record is not valid UTF-8 at byte offset " + bytes.position());
    }
    return decodeJson(text);
  }

  private DecodeResult decodeJson(String text) {
    JsonNode tree;
    try {
      tree = EventJson.MAPPER.readTree(text);
    } catch (StreamConstraintsException e) {
      // Over a limit, not broken: if only a number was too long, the requestId is still readable.
      return new Rejected(Reason.INVALID_JSON, describe(e), Echoes.ofNumbersSkipped(text));
    } catch (JsonProcessingException e) {
      return new Rejected(Reason.INVALID_JSON, describe(e));
    }
    if (tree == null || tree.isMissingNode()) {
      return new Rejected(Reason.INVALID_JSON, "the record holds no JSON value");
    }
    if (!tree.isObject()) {
      return new Rejected(
          Reason.NOT_AN_OBJECT,
          "the top level is a JSON "
              + tree.getNodeType().name().toLowerCase(Locale.ROOT)
              + ", expected an object");
    }
    List<String> violations = new ArrayList<>(schemas.validateRequest(tree));
    violations.addAll(UnpairedSurrogates.in(tree));
    if (!violations.isEmpty()) {
      return new Rejected(Reason.SCHEMA_VIOLATION, summarise(violations), Echoes.of(tree));
    }
    return bind((ObjectNode) tree);
  }

  private static DecodeResult bind(ObjectNode tree) {
    tree.putIfAbsent("schemaVersion", IntNode.valueOf(UploadRequest.CURRENT_SCHEMA_VERSION));
    JsonNode requestedAt = tree.get("requestedAt");
    if (requestedAt != null && requestedAt.isTextual()) {
      tree.put("requestedAt", withTSeparator(requestedAt.asText()));
    }
    try {
      return new Decoded(EventJson.MAPPER.treeToValue(tree, UploadRequest.class));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      // The schema should have caught it; a value it allows but Java cannot hold still lands here.
      return new Rejected(
          Reason.SCHEMA_VIOLATION, "cannot bind the request: " + firstLine(e), Echoes.of(tree));
    }
  }

  /** RFC 3339 (and the schema) allow a space between date and time; java.time wants 'T'. */
  private static String withTSeparator(String dateTime) {
    boolean spaceSeparated = dateTime.length() > 10 && dateTime.charAt(10) == ' ';
    return spaceSeparated ? dateTime.substring(0, 10) + 'T' + dateTime.substring(11) : dateTime;
  }

  // REPORT, stated on purpose: new String(bytes, UTF_8) would silently turn broken bytes into
  // U+FFFD inside a path or id. Decoders are stateful, so one per record.
  private static CharsetDecoder strictUtf8() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  private static String describe(JsonProcessingException e) {
    JsonLocation where = e.getLocation();
    String message = e.getOriginalMessage();
    if (where == null || where.getLineNr() < 1) {
      return message;
    }
    return message + " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
  }

  private static String summarise(List<String> violations) {
    String shown =
        String.join(
            "; ", violations.subList(0, Math.min(violations.size(), MAX_VIOLATIONS_REPORTED)));
    int hidden = violations.size() - MAX_VIOLATIONS_REPORTED;
    return hidden > 0 ? shown + "; and " + hidden + " more" : shown;
  }

  private static String firstLine(Exception e) {
    String message =
        String.valueOf(
            e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage());
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
