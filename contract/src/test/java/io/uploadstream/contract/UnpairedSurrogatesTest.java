package io.uploadstream.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnpairedSurrogatesTest {

  @Test
  void checkedFields_areTheRequestSchemasProperties() throws Exception {
    try (InputStream schema =
        UnpairedSurrogatesTest.class.getResourceAsStream(
            "/schemas/" + EventSchemas.REQUEST_SCHEMA)) {
      JsonNode properties = new ObjectMapper().readTree(schema).get("properties");
      Set<String> names = new HashSet<>();
      properties.fieldNames().forEachRemaining(names::add);

      assertThat(UnpairedSurrogates.FIELDS).containsExactlyInAnyOrderElementsOf(names);
    }
  }

  @ParameterizedTest(name = "[{index}]") // a lone surrogate has no place in a report
  @ValueSource(strings = {"", "plain", "年度 报告", "\uD83D\uDE00", "a\uD83D\uDE00b\uD83D\uDE00"})
  void wellFormedText_isWellFormed(String text) {
    assertThat(UnpairedSurrogates.isWellFormed(text)).isTrue();
  }

  @ParameterizedTest(name = "[{index}]") // a lone surrogate has no place in a report
  @ValueSource(strings = {"\uD800", "a\uDC00", "\uDE00\uD83D", "\uD83D\uD83D\uDE00x\uDFFF"})
  void unpairedSurrogates_areNotWellFormed(String text) {
    assertThat(UnpairedSurrogates.isWellFormed(text)).isFalse();
  }
}
