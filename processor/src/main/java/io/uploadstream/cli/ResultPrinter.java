package io.uploadstream.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.uploadstream.client.ResultsReader;
import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * What {@code submit} and {@code results} print, one event per line, as text for people or as one
 * JSON object per line ({@code --output json}): the one place that knows the output formats.
 * Per-file events ({@link #submitted}, {@link #finished}, {@link #missing}) are the hooks for
 * richer displays such as a progress bar per file. Called from one thread.
 */
final class ResultPrinter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintWriter out;
  private final PrintWriter err;
  private final OutputFormat format;

  ResultPrinter(PrintWriter out, PrintWriter err, OutputFormat format) {
    this.out = out;
    this.err = err;
    this.format = format;
  }

  /** Text output. */
  ResultPrinter(PrintWriter out, PrintWriter err) {
    this(out, err, OutputFormat.TEXT);
  }

  /**
   * The request is on the topic: {@code <requestId> <file>}, or {@code {"requestId": ..., "file":
   * ..., "filePath": ...}}.
   */
  void submitted(Path file, UploadRequest request) {
    if (format == OutputFormat.TEXT) {
      line(out, request.requestId() + " " + file);
      return;
    }
    ObjectNode line = JSON.createObjectNode();
    line.put("requestId", request.requestId());
    line.put("file", file.toString());
    line.put("filePath", request.filePath());
    line(out, line.toString());
  }

  /** The request could not be published (to stderr, in both formats). */
  void publishFailed(Path file, Throwable cause) {
    line(err, "upload-stream: cannot publish " + file + ": " + cause);
  }

  /**
   * {@code <file>: SUCCEEDED <key> <cdnUrl> (<size> bytes)} or {@code <file>: FAILED <code>:
   * <message>}; in JSON the result with the local {@code file} added.
   */
  void finished(Path file, UploadResult result) {
    if (format == OutputFormat.TEXT) {
      line(out, file + ": " + describe(result));
      return;
    }
    ObjectNode line = JSON.createObjectNode();
    line.put("file", file.toString());
    line.setAll(tree(EventCodec.encode(result)));
    line(out, line.toString());
  }

  /** {@code <file>: MISSING no result for request <id> within <timeout>}. */
  void missing(Path file, String requestId, Duration timeout) {
    String message = "no result for request " + requestId + " within " + humanised(timeout);
    if (format == OutputFormat.TEXT) {
      line(out, file + ": MISSING " + message);
      return;
    }
    ObjectNode line = JSON.createObjectNode();
    line.put("file", file.toString());
    line.put("requestId", requestId);
    line.put("status", "MISSING");
    line.put("message", message);
    line(out, line.toString());
  }

  /**
   * A result read from the topic: in JSON as written (fields and codes of newer processors kept),
   * in text {@code <requestId> SUCCEEDED <key> <cdnUrl> (<size> bytes)}.
   */
  void result(ResultsReader.Received received) {
    String text =
        format == OutputFormat.JSON
            ? received.json()
            : received.result().requestId() + " " + describe(received.result());
    line(out, text);
  }

  static String describe(UploadResult result) {
    if (!result.succeeded()) {
      return "FAILED " + result.error().code() + ": " + result.error().message();
    }
    String size = result.size() == null ? "" : " (" + result.size() + " bytes)";
    return "SUCCEEDED " + result.key() + " " + result.cdnUrl() + size;
  }

  /** {@code PT10M} as {@code 10m}. */
  static String humanised(Duration duration) {
    return duration.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  private static ObjectNode tree(byte[] json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("an encoded result is JSON", e);
    }
  }

  private static void line(PrintWriter writer, String text) {
    writer.println(text);
    writer.flush();
  }
}
