package io.uploadstream.config;

import io.uploadstream.client.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Collects what is wrong with the settings while they are read and checked, one problem per setting
 * (the first found), so a single {@link ConfigException} can name every invalid setting. Not
 * thread-safe: one instance per load.
 */
final class ConfigProblems {
  private final Map<String, ConfigException> bySetting = new LinkedHashMap<>();

  /** Records {@code problem} against its setting, unless that setting has one already. */
  void add(Setting setting, String problem) {
    add(new ConfigException(setting.key(), problem));
  }

  /** Records every problem {@code e} reports. */
  void add(ConfigException e) {
    e.problems().forEach(problem -> bySetting.putIfAbsent(problem.setting(), problem));
  }

  boolean has(Setting setting) {
    return bySetting.containsKey(setting.key());
  }

  /** Throws one exception naming every problem recorded, if any. */
  void throwIfAny() {
    if (!bySetting.isEmpty()) {
      throw ConfigException.of(new ArrayList<>(bySetting.values()));
    }
  }

  /** Records {@code problem} if {@code valid} is false. */
  ConfigProblems require(boolean valid, Setting setting, String problem) {
    if (!valid) {
      add(setting, problem);
    }
    return this;
  }
}
