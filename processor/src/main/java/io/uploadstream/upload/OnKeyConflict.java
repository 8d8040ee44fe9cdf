package io.uploadstream.upload;

import java.util.Locale;

/**
 * What an upload does when its key already holds, or is being completed with, another request's
 * object (setting {@code upload.on-key-conflict}).
 */
public enum OnKeyConflict {
  /** The request fails with {@code KEY_CONFLICT}; the other request's object stays. */
  FAIL,
  /** The object goes to a key unique to the request ({@link ObjectKeys#renamed}). */
  RENAME,
  /** The object replaces whatever the key holds, unconditionally: opt in only on purpose. */
  OVERWRITE;

  /** The setting's spelling, e.g. {@code fail}. */
  public String settingValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The choice a setting value names ({@code fail}, {@code rename}, {@code overwrite}).
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static OnKeyConflict parse(String value) {
    for (OnKeyConflict choice : values()) {
      if (choice.settingValue().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return choice;
      }
    }
    throw new IllegalArgumentException("must be fail, rename or overwrite");
  }
}
