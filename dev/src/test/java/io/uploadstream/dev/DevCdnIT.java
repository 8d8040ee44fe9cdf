package io.uploadstream.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The CDN stand-in against a real S3 server: it serves objects with the headers they carry. */
class DevCdnIT {
  private static final String BUCKET = "cdn-headers";

  static EmbeddedS3 s3;
  static DevCdn cdn;
  static S3Client client;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    s3 = EmbeddedS3.inMemory().start();
    cdn = DevCdn.start(s3, 0);
    client = s3.newClient();
    client.createBucket(b -> b.bucket(BUCKET));
  }

  @AfterAll
  static void stop() {
    client.close();
    cdn.close();
    s3.close();
  }

  @Test
  void objectStoredWithCacheControlAndContentDisposition_isServedWithThem() throws Exception {
    client.putObject(
        b ->
            b.bucket(BUCKET)
                .key("docs/report.pdf")
                .contentType("application/pdf")
                .cacheControl("public, max-age=60")
                .contentDisposition("attachment; filename=\"report.pdf\"")
                .contentLanguage("en"),
        RequestBody.fromString("%PDF"));

    for (String method : new String[] {"GET", "HEAD"}) {
      HttpResponse<String> response = fetch(method, "/docs/report.pdf");

      assertThat(response.statusCode()).as(method).isEqualTo(200);
      assertThat(response.headers().firstValue("Cache-Control"))
          .as(method)
          .contains("public, max-age=60");
      assertThat(response.headers().firstValue("Content-Disposition"))
          .as(method)
          .contains("attachment; filename=\"report.pdf\"");
      assertThat(response.headers().firstValue("Content-Language")).as(method).contains("en");
      assertThat(response.headers().firstValue("Content-Type"))
          .as(method)
          .contains("application/pdf");
      assertThat(response.headers().firstValue("Last-Modified")).as(method).isPresent();
    }
    assertThat(fetch("GET", "/docs/report.pdf").body()).isEqualTo("%PDF");
  }

  @Test
  void objectWithoutThoseHeaders_isServedWithoutThem() throws Exception {
    client.putObject(b -> b.bucket(BUCKET).key("plain.txt"), RequestBody.fromString("plain"));

    HttpResponse<String> response = fetch("GET", "/plain.txt");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("plain");
    assertThat(response.headers().map())
        .doesNotContainKeys(
            "cache-control", "content-disposition", "content-encoding", "content-language");
  }

  @Test
  void missingObject_is404() throws Exception {
    assertThat(fetch("GET", "/missing-" + Instant.now().toEpochMilli()).statusCode())
        .isEqualTo(404);
  }

  private static HttpResponse<String> fetch(String method, String key) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(cdn.baseUrl() + "/" + BUCKET + key))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
