package io.uploadstream.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentDispositionTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          report.pdf      | attachment; filename="report.pdf"; filename*=UTF-8''report.pdf
          résumé.pdf      | attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf
          年度报告 2025.pdf | attachment; filename="____ 2025.pdf"; filename*=UTF-8''%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A%202025.pdf
          a"b\\c;d=e.txt  | attachment; filename="a_b_c;d=e.txt"; filename*=UTF-8''a%22b%5Cc%3Bd%3De.txt
          """)
  void attachment_carriesTheExactNameInFilenameStar_andAnAsciiFallback(String name, String header) {
    assertThat(ContentDisposition.attachment(name)).isEqualTo(header);
  }

  @Test
  void attachment_ofANameWithControlCharacters_cannotBreakTheHeader() {
    String header = ContentDisposition.attachment("evil\r\nSet-Cookie: x=1.txt");

    assertThat(header).matches("[\\x20-\\x7E]+");
    assertThat(header).endsWith("filename*=UTF-8''evil%0D%0ASet-Cookie%3A%20x%3D1.txt");
  }

  @Test
  void attachment_ofAVeryLongName_fitsTheSchemasLimit_keepingTheExtension() {
    String name = "報".repeat(250) + ".pdf";

    String header = ContentDisposition.attachment(name);

    assertThat(header.length()).isLessThanOrEqualTo(ContentDisposition.MAX_CHARS);
    assertThat(header).endsWith(".pdf");
    String encoded = header.substring(header.indexOf("''") + 2);
    String decoded = URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    assertThat(name).startsWith(decoded.substring(0, decoded.length() - 4));
  }

  @Test
  void attachment_needsAName() {
    assertThatThrownBy(() -> ContentDisposition.attachment(""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
