package io.uploadstream.upload;

import io.uploadstream.keys.InvalidKeyException;
import io.uploadstream.keys.ObjectKeys;
import io.uploadstream.upload.KeyWriter.Placement;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code upload.on-key-conflict=rename}: once the request's own key turned out to hold another
 * request's object, the upload goes to the key unique to the request ({@link ObjectKeys#renamed}),
 * under the same rules, so a redelivery ends on the same key. Taken too, it is a key conflict
 * naming both keys.
 */
final class RenameOnConflict {
  private static final Logger log = LoggerFactory.getLogger(RenameOnConflict.class);

  private RenameOnConflict() {}

  static Placement place(
      KeyWriter writer,
      KeysInFlight keysInFlight,
      UploadContext upload,
      PartPlan plan,
      String contentType,
      Placement.Taken taken)
      throws IOException, InterruptedException {
    UploadSpec spec = upload.spec();
    String renamed;
    try {
      renamed = ObjectKeys.renamed(spec.key(), spec.requestId());
    } catch (InvalidKeyException e) {
      return new Placement.Taken(taken.key(), taken.why() + ", and " + e.getMessage());
    }
    log.info(
        "s3://{}/{} is taken ({}): uploading to {}",
        spec.bucket(),
        taken.key(),
        taken.why(),
        renamed);
    boolean onlyUploadOfKey = keysInFlight.add(renamed); // the janitor leaves its upload alone
    try {
      Placement placement =
          writer.write(upload.withKey(renamed), plan, contentType, onlyUploadOfKey);
      return placement.fold(
          placed -> placed,
          other ->
              new Placement.Taken(
                  taken.key(), taken.why() + "; so does " + other.key() + ", its renamed key"));
    } finally {
      keysInFlight.remove(renamed);
    }
  }
}
