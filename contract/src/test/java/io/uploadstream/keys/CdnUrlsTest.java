package io.uploadstream.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CdnUrlsTest {

  private static final String KEY = "tmp/20250816163104-11.png";

  @Test
  void url_includesTheBucket_byDefault() {
    CdnUrls urls = new CdnUrls("https://cdn.example.com", false);

    assertThat(urls.url("uploads", KEY))
        .isEqualTo("https://cdn.example.com/uploads/tmp/20250816163104-11.png");
  }

  @Test
  void url_leavesTheBucketOut_whenTheCdnServesItAtTheRoot() {
    CdnUrls urls = new CdnUrls("https://cdn.example.com", true);

    assertThat(urls.url("uploads", KEY))
        .isEqualTo("https://cdn.example.com/tmp/20250816163104-11.png");
  }

  @ParameterizedTest
  @CsvSource({
    "https://cdn.example.com,            https://cdn.example.com",
    "https://cdn.example.com/,           https://cdn.example.com",
    "https://cdn.example.com///,         https://cdn.example.com",
    "https://cdn.example.com/assets/,    https://cdn.example.com/assets",
    "http://localhost:9000,              http://localhost:9000",
    "HTTPS://CDN.example.com,            HTTPS://CDN.example.com",
    "'  https://cdn.example.com/  ',     https://cdn.example.com"
  })
  void base_losesTrailingSlashes(String base, String normalised) {
    CdnUrls urls = new CdnUrls(base, true);

    assertThat(urls.baseUrl()).isEqualTo(normalised);
    assertThat(urls.url("b", "k")).isEqualTo(normalised + "/k");
  }

  @Test
  void s3EndpointBase_givesPathStyleUrls() {
    CdnUrls urls = new CdnUrls("http://127.0.0.1:9000/", false);

    assertThat(urls.url("uploads", KEY))
        .isEqualTo("http://127.0.0.1:9000/uploads/tmp/20250816163104-11.png");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          tmp/a b.png                 | tmp/a%20b.png
          tmp/a+b.png                 | tmp/a%2Bb.png
          tmp/100%.png                | tmp/100%25.png
          tmp/%20.png                 | tmp/%2520.png
          tmp/#1.png                  | tmp/%231.png
          tmp/why?.png                | tmp/why%3F.png
          tmp/a&b=c;d:e@f,g!h$i'j(k)l*m | tmp/a%26b%3Dc%3Bd%3Ae%40f%2Cg%21h%24i%27j%28k%29l%2Am
          tmp/年度报告.pdf              | tmp/%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.pdf
          tmp/😀.png                   | tmp/%F0%9F%98%80.png
          tmp/é.png                   | tmp/%C3%A9.png
          tmp/Az09-._~.png            | tmp/Az09-._~.png
          a/b/c/d.png                 | a/b/c/d.png
          图片/头像/x.png               | %E5%9B%BE%E7%89%87/%E5%A4%B4%E5%83%8F/x.png
          tmp/...                     | tmp/...
          tmp/..a                     | tmp/..a
          """)
  void keySegments_arePercentEncoded_slashesKept(String key, String encodedPath) {
    assertThat(new CdnUrls("https://cdn.example.com", true).url("uploads", key))
        .isEqualTo("https://cdn.example.com/" + encodedPath);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tmp/20250816163104-a b+c%d#e?f.png",
        "年度/报告 😀 2025.pdf",
        "tmp/%2F%25.png",
        "tmp/a;b=c,d.png"
      })
  void encodedUrl_isAValidUri_thatDecodesBackToTheKey(String key) {
    String url = new CdnUrls("https://cdn.example.com", false).url("uploads", key);

    URI uri = URI.create(url);
    assertThat(uri.getRawQuery()).isNull();
    assertThat(uri.getRawFragment()).isNull();
    assertThat(uri.getPath()).isEqualTo("/uploads/" + key);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tmp/../secret", "../x", "tmp/./x", "tmp/.."})
  void keyWithADotSegment_isRefused(String key) {
    CdnUrls urls = new CdnUrls("https://cdn.example.com", true);

    assertThatThrownBy(() -> urls.url("uploads", key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("key has a '");
  }

  @Test
  void emptyKeyOrBucket_isRefused() {
    assertThatThrownBy(() -> new CdnUrls("https://cdn.example.com", true).url("b", ""))
        .hasMessage("key is empty");
    assertThatThrownBy(() -> new CdnUrls("https://cdn.example.com", false).url("", "k"))
        .hasMessage("bucket is empty");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ''                           | must be an absolute http or https URL
          cdn.example.com              | must be an absolute http or https URL
          /assets                      | must be an absolute http or https URL
          ftp://cdn.example.com        | must be an absolute http or https URL
          file:///var/www              | must be an absolute http or https URL
          https://                     | is not a valid URI
          https:///path                | has no host
          https://cdn.example.com?v=1  | must not have a query or fragment
          https://cdn.example.com/#top | must not have a query or fragment
          https://cdn example.com      | is not a valid URI
          """)
  void badBase_isRefused_namingTheProblem(String base, String problem) {
    assertThatThrownBy(() -> new CdnUrls(base, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void baseWithCredentials_isRefused_withoutEchoingThem() {
    assertThatThrownBy(() -> new CdnUrls("https://admin:s3cret@cdn.example.com", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CDN base URL must not contain user info");
  }
}
