package io.uploadstream.client;

import java.util.List;

/**
 * A setting is missing or invalid; the message names the setting, its source and the value. When
 * several settings are invalid, one exception lists them all ({@link #problems()}), so a deployment
 * is fixed in one round rather than one setting per restart.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String setting;
  private final transient List<ConfigException> problems;

  public ConfigException(String setting, String message) {
    super(setting + ": " + message);
    this.setting = setting;
    this.problems = List.of(this);
  }

  private ConfigException(List<ConfigException> problems) {
    super(describe(problems));
    this.setting = problems.get(0).setting();
    this.problems = List.copyOf(problems);
  }

  /** One exception for {@code problems}: the problem itself when there is one, else a list. */
  public static ConfigException of(List<ConfigException> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("no problems to report");
    }
    return problems.size() == 1 ? problems.get(0) : new ConfigException(problems);
  }

  /** The setting at fault (the first one, when several are). */
  public String setting() {
    return setting;
  }

  /** Every invalid setting this exception reports, each with its own message. */
  public List<ConfigException> problems() {
    return problems;
  }

  private static String describe(List<ConfigException> problems) {
    StringBuilder message = new StringBuilder(problems.size() + " invalid settings:");
    problems.forEach(problem -> message.append("\n  ").append(problem.getMessage()));
    return message.toString();
  }
}
