package io.uploadstream.dev;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The dev stack's stand-in for a CDN: serves {@code GET /{bucket}/{key}} to anyone, reading the
 * object from the (private) S3 server with the stack's keys — what a CDN with origin access does in
 * production. The dev processor's {@code cdn.base-url} points here, so the URL in every result
 * opens in a browser or with curl while the bucket itself stays private.
 */
final class DevCdn implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DevCdn.class);

  private final HttpServer server;
  private final S3Client s3;
  private final ExecutorService executor;

  private DevCdn(HttpServer server, S3Client s3, ExecutorService executor) {
    this.server = server;
    this.s3 = s3;
    this.executor = executor;
  }

  /** Serves the buckets of {@code origin} on 127.0.0.1:{@code port} (0: any free port). */
  static DevCdn start(EmbeddedS3 origin, int port) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on CDN port " + port, e);
    }
    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            runnable -> {
              Thread thread = new Thread(runnable, "dev-cdn");
              thread.setDaemon(true);
              return thread;
            });
    DevCdn cdn = new DevCdn(server, origin.newClient(), executor);
    server.createContext("/", cdn::serve);
    server.setExecutor(executor);
    server.start();
    log.info("CDN stand-in ready at {}", cdn.baseUrl());
    return cdn;
  }

  /** What {@code cdn.base-url} is set to: results' URLs are {@code {base}/{bucket}/{key}}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    String base = baseUrl();
    server.stop(0);
    executor.shutdownNow();
    s3.close();
    log.info("CDN stand-in at {} stopped", base);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      // getPath() is percent-decoded: CdnUrls encoded each key segment.
      String path = exchange.getRequestURI().getPath();
      int slash = path.indexOf('/', 1);
      if (slash < 0 || slash == path.length() - 1) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      String bucket = path.substring(1, slash);
      String key = path.substring(slash + 1);
      copyObject(exchange, bucket, key, method.equals("HEAD"));
    }
  }

  private void copyObject(HttpExchange exchange, String bucket, String key, boolean headOnly)
      throws IOException {
    try (ResponseInputStream<GetObjectResponse> object =
        s3.getObject(b -> b.bucket(bucket).key(key))) {
      GetObjectResponse response = object.response();
      forwardHeaders(response, exchange.getResponseHeaders());
      long length = response.contentLength();
      exchange.sendResponseHeaders(200, headOnly ? -1 : length == 0 ? -1 : length);
      if (!headOnly) {
        try (OutputStream body = exchange.getResponseBody();
            InputStream in = object) {
          in.transferTo(body);
        }
      }
    } catch (NoSuchKeyException | NoSuchBucketException e) {
      exchange.sendResponseHeaders(404, -1);
    }
  }

  /**
   * The object's own headers, as a CDN with origin access forwards them: what the request set
   * (cacheControl, contentDisposition) must reach the browser, or the dev stack hides whether an
   * upload set them right. Headers the object does not have are left out.
   */
  private static void forwardHeaders(GetObjectResponse object, Headers headers) {
    setIfPresent(headers, "Content-Type", object.contentType());
    setIfPresent(headers, "ETag", object.eTag());
    setIfPresent(headers, "Cache-Control", object.cacheControl());
    setIfPresent(headers, "Content-Disposition", object.contentDisposition());
    setIfPresent(headers, "Content-Encoding", object.contentEncoding());
    setIfPresent(headers, "Content-Language", object.contentLanguage());
    setIfPresent(headers, "Expires", object.expiresString());
    if (object.lastModified() != null) {
      headers.set(
          "Last-Modified",
          DateTimeFormatter.RFC_1123_DATE_TIME.format(
              object.lastModified().atOffset(ZoneOffset.UTC)));
    }
  }

  private static void setIfPresent(Headers headers, String name, String value) {
    if (value != null && !value.isEmpty()) {
      headers.set(name, value);
    }
  }
}
