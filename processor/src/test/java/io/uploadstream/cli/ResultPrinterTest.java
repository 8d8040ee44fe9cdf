package io.uploadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.client.ResultsReader;
import io.uploadstream.contract.ErrorCode;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.contract.UploadResult.Status;
import io.uploadstream.contract.UploadResult.UploadError;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResultPrinterTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final ResultPrinter printer =
      new ResultPrinter(new PrintWriter(out), new PrintWriter(err));

  @Test
  void submitted_printsTheRequestIdThenTheFile() {
    printer.submitted(Path.of("a.png"), UploadRequest.of("r-1", "/x/a.png", "tmp"));

    assertThat(out).hasToString("r-1 a.png" + System.lineSeparator());
  }

  @Test
  void finished_succeeded_printsKeyUrlAndSize() {
    printer.finished(Path.of("a.png"), succeeded(1234L));

    assertThat(out)
        .hasToString(
            "a.png: SUCCEEDED tmp/20250816163104-a.png https://cdn.test/tmp/20250816163104-a.png"
                + " (1234 bytes)"
                + System.lineSeparator());
  }

  @Test
  void finished_failed_printsCodeAndMessage() {
    printer.finished(Path.of("a.png"), failed(ErrorCode.FILE_NOT_FOUND, "no file at /x/a.png"));

    assertThat(out)
        .hasToString("a.png: FAILED FILE_NOT_FOUND: no file at /x/a.png" + System.lineSeparator());
  }

  @Test
  void missing_namesTheRequestAndTheTimeout() {
    printer.missing(Path.of("a.png"), "r-1", Duration.ofMinutes(10));

    assertThat(out)
        .hasToString(
            "a.png: MISSING no result for request r-1 within 10m" + System.lineSeparator());
  }

  @Test
  void publishFailed_goesToTheErrorStream() {
    printer.publishFailed(Path.of("a.png"), new IllegalStateException("broker down"));

    assertThat(out.toString()).isEmpty();
    assertThat(err.toString()).contains("cannot publish a.png").contains("broker down");
  }

  @Test
  void json_printsTheResultAsItWasRead() {
    String json = "{\"requestId\":\"r-1\",\"futureField\":1}";

    new ResultPrinter(new PrintWriter(out), new PrintWriter(err), OutputFormat.JSON)
        .result(new ResultsReader.Received(failed(ErrorCode.STORAGE_ERROR, "m"), json));

    assertThat(out.toString()).isEqualTo(json + System.lineSeparator());
  }

  private static UploadResult succeeded(Long size) {
    return new UploadResult(
        1,
        "r-1",
        null,
        null,
        Status.SUCCEEDED,
        "uploads",
        "tmp/20250816163104-a.png",
        "https://cdn.test/tmp/20250816163104-a.png",
        size,
        0,
        "\"e\"",
        "image/png",
        null,
        null,
        null,
        null);
  }

  private static UploadResult failed(ErrorCode code, String message) {
    return new UploadResult(
        1,
        "r-1",
        null,
        null,
        Status.FAILED,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        new UploadError(code, message, false));
  }
}
