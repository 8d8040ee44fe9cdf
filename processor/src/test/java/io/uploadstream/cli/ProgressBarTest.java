package io.uploadstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.contract.UploadProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private static final long MIB = 1024 * 1024;
  private static final Instant T0 = Instant.parse("2025-08-16T16:31:05Z");
  private static final String ESC = "\u001B[";

  private final StringWriter out = new StringWriter();
  private final PrintWriter writer = new PrintWriter(out);

  @Test
  void notATerminal_printsAPlainLineEachTimeAFilePassesAnother10Percent() {
    ProgressBar bars = new ProgressBar(writer, false);
    bars.track("req-1", Path.of("data/big.bin"));

    bars.update(event("req-1", 0, 0));
    bars.update(event("req-1", 8 * MIB, 1000)); // 16%
    bars.update(event("req-1", 9 * MIB, 1100)); // 18%: same tenth, no line
    bars.update(event("req-1", 50 * MIB, 5000));

    assertThat(out.toString().lines())
        .containsExactly(
            "data/big.bin: 0% (0 B of 50.0 MiB, -- MB/s)",
            "data/big.bin: 16% (8.0 MiB of 50.0 MiB, 8.4 MB/s)",
            "data/big.bin: 100% (50.0 MiB of 50.0 MiB, 10.5 MB/s)");
  }

  @Test
  void notATerminal_resultLinesPrintAsTheyAre() {
    ProgressBar bars = new ProgressBar(writer, false);
    bars.track("req-1", Path.of("a.bin"));

    bars.finished("req-1", () -> writer.println("a.bin: SUCCEEDED tmp/a.bin"));
    bars.update(event("req-1", 50 * MIB, 5000)); // late: its file is finished

    assertThat(out.toString().lines()).containsExactly("a.bin: SUCCEEDED tmp/a.bin");
  }

  @Test
  void terminal_drawsABarPerFile_withPercentBytesAndRate() {
    ProgressBar bars = new ProgressBar(writer, true);
    bars.track("req-1", Path.of("data/big.bin"));
    bars.track("req-2", Path.of("data/small.bin"));

    bars.update(event("req-1", 0, 0));
    bars.update(event("req-1", 25 * MIB, 2000));

    String screen = out.toString();
    assertThat(screen)
        .endsWith(
            ESC
                + "1A\r"
                + ESC
                + "J"
                + "big.bin                  [###############---------------]  50% 25.0 MiB /"
                + " 50.0 MiB 13.1 MB/s\n");
  }

  @Test
  void terminal_printsResultsAboveTheBars_andDropsTheFinishedFilesBar() {
    ProgressBar bars = new ProgressBar(writer, true);
    bars.track("req-1", Path.of("a.bin"));
    bars.track("req-2", Path.of("b.bin"));
    bars.update(event("req-1", 10 * MIB, 1000));
    bars.update(event("req-2", 20 * MIB, 1000));
    out.getBuffer().setLength(0);

    bars.finished("req-1", () -> writer.println("a.bin: SUCCEEDED tmp/a.bin"));
    writer.flush();

    // Up over both bars, clear, the result, then only b.bin's bar again.
    assertThat(out.toString())
        .startsWith(ESC + "2A\r" + ESC + "J" + "a.bin: SUCCEEDED tmp/a.bin\n")
        .endsWith(
            "b.bin                    [############------------------]  40% 20.0 MiB /"
                + " 50.0 MiB -- MB/s\n");
  }

  @Test
  void bytes_areShownInBinaryUnits() {
    assertThat(ProgressBar.bytes(512)).isEqualTo("512 B");
    assertThat(ProgressBar.bytes(3 * 1024)).isEqualTo("3.0 KiB");
    assertThat(ProgressBar.bytes(50 * MIB)).isEqualTo("50.0 MiB");
    assertThat(ProgressBar.bytes(1288490189L)).isEqualTo("1.2 GiB");
  }

  @Test
  void smallFile_showsNoRate_ratherThanZeroMegabytesPerSecond() {
    ProgressBar bars = new ProgressBar(writer, false);
    bars.track("req-1", Path.of("hello.txt"));

    bars.update(new UploadProgress(1, "req-1", 0, 6, 0, 1, T0));
    bars.update(new UploadProgress(1, "req-1", 6, 6, 1, 1, T0.plusMillis(40)));

    assertThat(out.toString().lines())
        .containsExactly("hello.txt: 0% (0 B of 6 B)", "hello.txt: 100% (6 B of 6 B)");
  }

  @Test
  void emptyFile_isComplete() {
    assertThat(ProgressBar.percent(new UploadProgress(1, "r", 0, 0, 1, 1, T0))).isEqualTo(100);
  }

  private static UploadProgress event(String requestId, long bytesDone, long millisAfterStart) {
    int parts = (int) ((50 * MIB + 8 * MIB - 1) / (8 * MIB));
    int partsDone = (int) (bytesDone / (8 * MIB));
    return new UploadProgress(
        1, requestId, bytesDone, 50 * MIB, partsDone, parts, T0.plusMillis(millisAfterStart));
  }
}
