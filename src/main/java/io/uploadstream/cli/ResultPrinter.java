package io.uploadstream.cli;

import io.uploadstream.client.ResultsReader;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * What {@code submit} and {@code results} print, one event per line: the one place that knows the
 * output formats. Per-file events ({@link #submitted}, {@link #finished}, {@link #missing}) are the
 * hooks for richer displays such as a progress bar per file. Called from one thread.
 */
final class ResultPrinter {
  private final PrintWriter out;
  private final PrintWriter err;

  ResultPrinter(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  /** {@code <requestId> <file>}: the request is on the topic. */
  void submitted(Path file, UploadRequest request) {
    line(out, request.requestId() + " " + file);
  }

  /** The request could not be published. */
  void publishFailed(Path file, Throwable cause) {
    line(err, "upload-stream: cannot publish " + file + ": " + cause);
  }

  /**
   * {@code <file>: SUCCEEDED <key> <cdnUrl> (<size> bytes)} or {@code <file>: FAILED <code>:
   * <message>}.
   */
  void finished(Path file, UploadResult result) {
    line(out, file + ": " + describe(result));
  }

  /** {@code <file>: MISSING no result for request <id> within <timeout>}. */
  void missing(Path file, String requestId, Duration timeout) {
    line(
        out,
        file + ": MISSING no result for request " + requestId + " within " + humanised(timeout));
  }

  /** The result as one line of JSON, as on the topic (fields of newer versions included). */
  void json(ResultsReader.Received result) {
    line(out, result.json());
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

  private static void line(PrintWriter writer, String text) {
    writer.println(text);
    writer.flush();
  }
}
