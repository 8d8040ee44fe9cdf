package io.uploadstream.upload;

import java.util.Objects;

/**
 * How the uploader keeps one request from overwriting another's object at the same key. {@code
 * onConflict} says what a conflict answers. {@code conditionalWrites} says whether the store
 * decides conflicts atomically: PutObject and CompleteMultipartUpload then carry {@code
 * If-None-Match: *} (or {@code If-Match} with the ETag of the request's own object). Without it (a
 * store that does not support conditional writes) a HeadObject right before each write decides,
 * which leaves a window of a few milliseconds in which two requests can both write the key.
 */
public record KeyConflictSettings(OnKeyConflict onConflict, boolean conditionalWrites) {

  public static final KeyConflictSettings DEFAULTS =
      new KeyConflictSettings(OnKeyConflict.FAIL, true);

  public KeyConflictSettings {
    Objects.requireNonNull(onConflict, "onConflict");
  }
}
