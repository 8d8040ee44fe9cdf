package io.uploadstream.ops;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations HTTP endpoint, on the JDK's own server: {@code GET /metrics} (Prometheus text
 * format; {@code ?name[]=NAME&name[]=...} limits it to those metrics, as Prometheus client servers
 * do, for cheap frequent polling), {@code GET /health/live} and {@code GET /health/ready} (200 or
 * 503, with a one-line JSON reason). Anything else is 404, any other method 405.
 */
final class OpsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpsServer.class);

  /** What {@link PrometheusMeterRegistry#scrape()} writes: the Prometheus text format 0.0.4. */
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * What the text format appends to a metric family's name on its samples ({@code
   * uploadstream_requests_total} of family {@code uploadstream_requests}): a {@code name[]} may
   * give either.
   */
  private static final Pattern SAMPLE_SUFFIX =
      Pattern.compile("_(total|count|sum|bucket|created)$");

  /** A sample line whose value is NaN (an optional timestamp may follow). */
  private static final Pattern NAN_SAMPLE = Pattern.compile("\\S+(\\{.*})? NaN( \\d+)?");

  private final HttpServer server;
  private final PrometheusMeterRegistry registry;
  private final Health health;

  private OpsServer(HttpServer server, PrometheusMeterRegistry registry, Health health) {
    this.server = server;
    this.registry = registry;
    this.health = health;
  }

  /**
   * Binds {@code port} on every interface (0: any free port) and starts serving on {@code
   * executor}.
   */
  static OpsServer start(
      int port, PrometheusMeterRegistry registry, Health health, ExecutorService executor) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on metrics port " + port, e);
    }
    OpsServer ops = new OpsServer(server, registry, health);
    server.createContext("/", ops::handle);
    server.setExecutor(executor);
    server.start();
    log.info("metrics and health on port {}", ops.port());
    return ops;
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
        return;
      }
      switch (path) {
        case "/metrics" -> send(exchange, 200, PROMETHEUS_TEXT, scrape(exchange.getRequestURI()));
        case "/health/live" -> sendHealth(exchange, health.live());
        case "/health/ready" -> sendHealth(exchange, health.ready());
        default -> send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
      }
    } catch (RuntimeException e) {
      log.warn("ops endpoint failed on {}", exchange.getRequestURI(), e);
      throw e;
    }
  }

  /** All metrics, or only those named by {@code name[]} query parameters. */
  private String scrape(URI uri) {
    Set<String> names = new LinkedHashSet<>();
    String query = uri.getRawQuery();
    if (query != null) {
      for (String parameter : query.split("&", -1)) {
        int equals = parameter.indexOf('=');
        if (equals > 0
            && URLDecoder.decode(parameter.substring(0, equals), UTF_8).equals("name[]")) {
          String name = URLDecoder.decode(parameter.substring(equals + 1), UTF_8);
          names.add(name);
          names.add(SAMPLE_SUFFIX.matcher(name).replaceFirst("")); // the registry's family name
        }
      }
    }
    String text = names.isEmpty() ? registry.scrape() : registry.scrape(PROMETHEUS_TEXT, names);
    return withoutNaNSamples(text);
  }

  /**
   * A gauge that has no value reads NaN (e.g. a percentile over an empty window): its sample is
   * left out, so the series is absent rather than a number nobody measured.
   */
  static String withoutNaNSamples(String text) {
    if (!text.contains(" NaN")) {
      return text;
    }
    return text.lines()
        .filter(line -> line.startsWith("#") || !NAN_SAMPLE.matcher(line).matches())
        .collect(Collectors.joining("\n", "", "\n"));
  }

  private static void sendHealth(HttpExchange exchange, Health.Status status) throws IOException {
    String body =
        JsonNodeFactory.instance
                .objectNode()
                .put("status", status.up() ? "UP" : "DOWN")
                .put("reason", status.reason())
                .toString()
            + "\n";
    send(exchange, status.up() ? 200 : 503, "application/json", body);
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Stops at once: probes and scrapes in progress are cut off. */
  @Override
  public void close() {
    server.stop(0);
  }
}
