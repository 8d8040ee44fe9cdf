package io.uploadstream.contract;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What happens to a request's file once its object is stored: {@code keep} it (the default) or
 * {@code delete} it, which a processor does only with {@code processor.allow-delete=true}, only
 * after the request's result is committed, and only while the file is still the one uploaded.
 */
public enum AfterUpload {
  @JsonProperty("keep")
  KEEP,
  @JsonProperty("delete")
  DELETE;

  /** The spelling in JSON and on the command line. */
  public String jsonValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
