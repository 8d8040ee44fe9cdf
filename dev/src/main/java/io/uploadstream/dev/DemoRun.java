package io.uploadstream.dev;

import io.uploadstream.cli.Throughput;
import io.uploadstream.client.ClientSettings;
import io.uploadstream.client.ResultsReader;
import io.uploadstream.client.UploadRequests;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.InterruptException;

/**
 * {@code dev --demo FILE...}: uploads the files through the running stack, prints each result, and
 * fetches each URL the way a browser would (no credentials) to show that it serves the file.
 */
final class DemoRun {
  private static final Duration RESULT_TIMEOUT = Duration.ofMinutes(30);
  private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(5);

  private final PrintWriter out;
  private final DevStack stack;
  private final String prefix;

  DemoRun(PrintWriter out, DevStack stack, String prefix) {
    this.out = out;
    this.stack = stack;
    this.prefix = prefix;
  }

  /** 0 when every file was uploaded and its URL served it, else 1. */
  int run(List<Path> files) {
    Map<String, Path> byRequest = new LinkedHashMap<>();
    Map<String, UploadResult> results;
    long start = System.nanoTime();
    ClientSettings client = stack.settings().client();
    try (ResultsReader reader = ResultsReader.fromEnd(client);
        UploadRequests requests = UploadRequests.connect(client)) {
      for (Path file : files) {
        UploadRequest request = UploadRequests.forFile(file.toAbsolutePath(), prefix);
        requests.publish(request).join();
        byRequest.put(request.requestId(), file);
      }
      results = reader.await(byRequest.keySet(), RESULT_TIMEOUT, r -> {});
    } catch (InterruptException e) {
      Thread.interrupted(); // a signal stops the demo; the stack still closes cleanly
      out.println("demo stopped before every result arrived");
      out.flush();
      return 1;
    }
    boolean allServed = true;
    for (Map.Entry<String, Path> entry : byRequest.entrySet()) {
      allServed &= report(entry.getValue(), results.get(entry.getKey()));
    }
    out.println(
        byRequest.size()
            + " file(s) in "
            + Throughput.duration(Duration.ofNanos(System.nanoTime() - start)));
    out.println(
        "These URLs work while the demo runs and stop with it; `"
            + DevBanner.LAUNCHER
            + " dev` keeps a stack (and its URLs) running.");
    out.flush();
    return allServed ? 0 : 1;
  }

  private boolean report(Path file, UploadResult result) {
    out.println(file);
    if (result == null) {
      out.println("  no result");
      return false;
    }
    if (!result.succeeded()) {
      out.println("  FAILED " + result.error().code() + ": " + result.error().message());
      return false;
    }
    Duration took = Duration.between(result.startedAt(), result.completedAt());
    out.println("  key  " + result.key());
    out.println("  url  " + result.cdnUrl());
    out.println("  size " + Throughput.describe(result.size(), took));
    String fetched = fetch(URI.create(result.cdnUrl()), file);
    out.println("  " + fetched);
    return fetched.startsWith("fetched");
  }

  /** GETs {@code url} without credentials and compares the body with {@code file}. */
  private static String fetch(URI url, Path file) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(FETCH_TIMEOUT).GET().build();
    try {
      HttpResponse<InputStream> response =
          http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          return "cannot fetch the url: HTTP " + response.statusCode();
        }
        byte[] served = sha256(body);
        byte[] local;
        try (InputStream in = Files.newInputStream(file)) {
          local = sha256(in);
        }
        return Arrays.equals(served, local)
            ? "fetched the url without credentials: HTTP 200, the same bytes as the file"
            : "the url serves other bytes than the file";
      }
    } catch (IOException e) {
      return "cannot fetch the url: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "cannot fetch the url: interrupted";
    }
  }

  private static byte[] sha256(InputStream in) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    try (DigestInputStream digesting = new DigestInputStream(in, digest)) {
      digesting.transferTo(OutputStream.nullOutputStream());
    }
    return digest.digest();
  }
}
