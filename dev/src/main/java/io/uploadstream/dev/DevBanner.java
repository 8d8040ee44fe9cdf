package io.uploadstream.dev;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What {@code dev} prints once the stack is up: where everything is, and commands to copy. Every
 * command starts with {@code ./upload-stream}, the launcher in the repository root (the quick start
 * runs there); paths in them are as given on the command line, so they work from where dev runs.
 */
final class DevBanner {
  static final String LAUNCHER = "./upload-stream";

  private final PrintWriter out;
  private final DevStack stack;
  private final Path dataDir;

  DevBanner(PrintWriter out, DevStack stack, Path dataDir) {
    this.out = out;
    this.stack = stack;
    this.dataDir = dataDir;
  }

  /** Prints the banner; with {@code processorConfig} (not null) also how to use the stack. */
  void print(Path processorConfig) {
    String s3 = stack.s3Endpoint();
    String metrics = "http://127.0.0.1:" + stack.metricsPort();
    out.println("upload-stream dev is running");
    out.println("  Kafka bootstrap : " + stack.bootstrapServers());
    out.println(
        "  S3 endpoint     : "
            + s3
            + "  (bucket "
            + DevStack.BUCKET
            + ", keys "
            + stack.s3().accessKey()
            + " / "
            + stack.s3().secretKey()
            + ")");
    out.println(
        "  CDN URLs        : "
            + stack.cdnBaseUrl()
            + "/"
            + DevStack.BUCKET
            + "/KEY  (a CDN stand-in that reads the private bucket with the keys, as a CDN"
            + " with origin access does)");
    out.println("  Metrics, health : " + metrics + "/metrics  " + metrics + "/health/ready");
    out.println("  Data directory  : " + dataDir.toAbsolutePath());
    out.println("  Allowed roots   : " + stack.settings().processor().allowedRoots());
    if (processorConfig != null) {
      printCommands(processorConfig);
    }
    out.flush();
  }

  private void printCommands(Path processorConfig) {
    String kafka = " --bootstrap-servers " + stack.bootstrapServers();
    out.println("Submit a file (from another terminal, in this directory):");
    out.println(
        "  "
            + LAUNCHER
            + " submit"
            + kafka
            + " --set topics.progress="
            + DevStack.PROGRESS_TOPIC
            + " --prefix tmp --wait README.md");
    out.println("Watch the results:");
    out.println("  " + LAUNCHER + " results" + kafka + " --follow");
    out.println("Add a processor to this stack (each one joins the consumer group):");
    out.println("  " + LAUNCHER + " run --config " + processorConfig);
    out.println("Stop with Ctrl-C.");
  }
}
