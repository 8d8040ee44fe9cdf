package io.uploadstream.ops;

import io.uploadstream.app.Processor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** GETs on a processor's ops endpoint, and reading values out of a Prometheus scrape. */
public final class OpsHttp {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private OpsHttp() {}

  public static HttpResponse<String> get(Processor processor, String path) {
    int port = processor.metricsPort().orElseThrow();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The value of the sample whose name and labels are exactly {@code series} (e.g. {@code
   * uploadstream_parts_total} or {@code
   * uploadstream_requests_total{code="NONE",outcome="succeeded"}}), or NaN when the scrape has
   * none.
   */
  public static double value(String scrape, String series) {
    Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
    return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
  }
}
