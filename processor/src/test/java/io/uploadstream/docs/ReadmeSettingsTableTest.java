package io.uploadstream.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.config.Setting;
import io.uploadstream.deploy.RepositoryFiles;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** README's settings table is generated from {@link Setting}: it can never drift from the code. */
class ReadmeSettingsTableTest {

  static String table() {
    StringBuilder table = new StringBuilder();
    table.append("| Property | Environment variable | Default | Meaning |\n");
    table.append("|---|---|---|---|\n");
    for (Setting setting : Setting.values()) {
      String shown =
          setting.required()
              ? "*(required)*"
              : setting.defaultValue().isEmpty() ? "*(empty)*" : "`" + setting.defaultValue() + "`";
      table
          .append("| `")
          .append(setting.key())
          .append("` | `")
          .append(setting.envName())
          .append("` | ")
          .append(shown)
          .append(" | ")
          .append(setting.description())
          .append(" |\n");
    }
    return table.toString();
  }

  @Test
  void readme_listsEverySetting_exactlyAsTheCodeReadsIt() throws Exception {
    String readme = Files.readString(RepositoryFiles.path("README.md"));
    assertThat(readme)
        .as("README.md must contain this settings table (regenerate it from Setting):%n%s", table())
        .contains(table());
  }
}
