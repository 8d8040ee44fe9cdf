package io.uploadstream.config;

import io.uploadstream.client.ClientSettings;
import io.uploadstream.client.KafkaSettings;
import io.uploadstream.client.TopicSettings;
import io.uploadstream.upload.JanitorSettings;
import io.uploadstream.upload.ObjectDefaults;
import io.uploadstream.upload.UploaderSettings;
import java.util.Objects;

/**
 * Everything a processor instance needs, validated when loaded. {@code objects} are the object
 * options every object gets unless its request says otherwise.
 */
public record Settings(
    KafkaSettings kafka,
    TopicSettings topics,
    StorageSettings storage,
    CdnSettings cdn,
    UploaderSettings uploader,
    ObjectDefaults objects,
    ProcessorSettings processor,
    OpsSettings ops,
    JanitorSettings janitor,
    ShareSettings share) {

  public Settings {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(storage, "storage");
    Objects.requireNonNull(cdn, "cdn");
    Objects.requireNonNull(uploader, "uploader");
    Objects.requireNonNull(objects, "objects");
    Objects.requireNonNull(processor, "processor");
    Objects.requireNonNull(ops, "ops");
    Objects.requireNonNull(janitor, "janitor");
    Objects.requireNonNull(share, "share");
  }

  public ClientSettings client() {
    return new ClientSettings(kafka, topics);
  }
}
