package io.uploadstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.uploadstream.client.DeadLetter;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * What {@code dead-letters} prints for each record: where it came from, why it was refused, and the
 * record itself. Text: {@code upload-requests-0@42 SCHEMA_VIOLATION: <message>} and an indented
 * {@code record: <value>} line; JSON: one object per line. A value that is not UTF-8 is shown in
 * base64 (JSON: {@code valueBase64}).
 */
final class DeadLetterPrinter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintWriter out;
  private final OutputFormat format;

  DeadLetterPrinter(PrintWriter out, OutputFormat format) {
    this.out = out;
    this.format = format;
  }

  void print(DeadLetter letter) {
    out.println(format == OutputFormat.JSON ? json(letter) : text(letter));
    out.flush();
  }

  private static String text(DeadLetter letter) {
    String value =
        utf8(letter.value())
            .map(DeadLetterPrinter::visible)
            .orElseGet(() -> "(not UTF-8, base64) " + base64(letter.value()));
    return letter.source().orElse("(source unknown)")
        + " "
        + letter.reason().orElse("(no reason)")
        + ": "
        + letter.message().orElse("")
        + System.lineSeparator()
        + "  record"
        + (letter.truncated() ? " (cut to fit the topic)" : "")
        + ": "
        + value;
  }

  private static String json(DeadLetter letter) {
    ObjectNode line = JSON.createObjectNode();
    letter.reason().ifPresent(reason -> line.put("reason", reason));
    letter.message().ifPresent(message -> line.put("message", message));
    ObjectNode source = line.putObject("source");
    letter.sourceTopic().ifPresent(topic -> source.put("topic", topic));
    letter.sourcePartition().ifPresent(partition -> source.put("partition", partition));
    letter.sourceOffset().ifPresent(offset -> source.put("offset", offset));
    line.put("truncated", letter.truncated());
    utf8(letter.key()).ifPresent(key -> line.put("key", key));
    Optional<String> value = utf8(letter.value());
    if (value.isPresent()) {
      line.put("value", value.get());
    } else if (letter.value() != null) {
      line.put("valueBase64", base64(letter.value()));
    }
    return line.toString();
  }

  /** The bytes as text if they are valid UTF-8 (a cut record may end mid-character: not shown). */
  private static Optional<String> utf8(byte[] bytes) {
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /**
   * Control characters as {@code \\uXXXX}: a record is anyone's input, and raw escapes would drive
   * the terminal (and a newline would break the one-record-per-entry layout).
   */
  private static String visible(String text) {
    StringBuilder shown = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", c));
              } else {
                shown.appendCodePoint(c);
              }
            });
    return shown.toString();
  }

  private static String base64(byte[] bytes) {
    return bytes == null ? "(none)" : Base64.getEncoder().encodeToString(bytes);
  }
}
