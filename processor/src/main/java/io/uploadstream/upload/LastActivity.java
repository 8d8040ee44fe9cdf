package io.uploadstream.upload;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * When a multipart upload last showed life, for the {@link MultipartJanitor}: the newest of its
 * initiation and its parts' {@code LastModified}, fed page by page from ListParts. It asks for no
 * further page once it has seen a part stored at or after the cutoff (the upload is active; the
 * rest cannot change that) or a part of unknown time (taken as active). Used by one thread.
 */
final class LastActivity implements Predicate<List<Part>> {
  private final Instant cutoff;
  private Instant newest;
  private boolean unknown;

  LastActivity(Instant initiated, Instant cutoff) {
    this.newest = initiated;
    this.cutoff = cutoff;
  }

  /** Takes one page of parts; true when the next page is still needed. */
  @Override
  public boolean test(List<Part> page) {
    for (Part part : page) {
      if (part.lastModified() == null) {
        unknown = true;
        return false;
      }
      if (part.lastModified().isAfter(newest)) {
        newest = part.lastModified();
      }
    }
    return idle();
  }

  /** Whether nothing seen so far happened at or after the cutoff. */
  boolean idle() {
    return !unknown && newest.isBefore(cutoff);
  }

  Instant newest() {
    return newest;
  }
}
