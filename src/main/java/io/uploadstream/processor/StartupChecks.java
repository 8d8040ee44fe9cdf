package io.uploadstream.processor;

import io.uploadstream.config.ConfigException;
import io.uploadstream.config.Setting;
import io.uploadstream.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * Fails fast, with a message naming what to fix, when the processor could not work: an allowed root
 * that does not exist, a broker that cannot be reached or refuses our credentials, a missing topic,
 * a bucket that does not exist or cannot be reached.
 */
final class StartupChecks {
  /** Kafka's default {@code max.message.bytes}, when a topic does not say. */
  static final int DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

  private StartupChecks() {}

  /** Runs the checks; returns the dead-letter topic's {@code max.message.bytes}. */
  static int run(Settings settings, S3Client s3, Duration timeout) {
    checkRoots(settings.processor().allowedRoots());
    int deadLetterMaxBytes = checkTopics(settings, timeout);
    checkBucket(s3, settings.storage().bucket());
    return deadLetterMaxBytes;
  }

  private static void checkRoots(List<Path> roots) {
    for (Path root : roots) {
      if (!Files.isDirectory(root)) {
        throw new ConfigException(
            Setting.PROCESSOR_ALLOWED_ROOTS.key(), "'" + root + "' is not an existing directory");
      }
    }
  }

  private static int checkTopics(Settings settings, Duration timeout) {
    Map<String, Object> config =
        settings
            .kafka()
            .clientConfig(
                Map.of(),
                Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "upload-stream-startup-check"));
    Set<String> topics =
        Set.of(
            settings.topics().requests(),
            settings.topics().results(),
            settings.topics().deadLetters());
    try (Admin admin = Admin.create(config)) {
      admin
          .describeTopics(topics, new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
          .allTopicNames()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      ConfigResource deadLetters =
          new ConfigResource(ConfigResource.Type.TOPIC, settings.topics().deadLetters());
      Config topicConfig =
          admin
              .describeConfigs(List.of(deadLetters))
              .all()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(deadLetters);
      ConfigEntry maxBytes = topicConfig.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      return maxBytes == null ? DEFAULT_MAX_MESSAGE_BYTES : Integer.parseInt(maxBytes.value());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof UnknownTopicOrPartitionException) {
        throw new ConfigException(
            "topics.*", "a topic does not exist (need " + topics + "): " + cause.getMessage());
      }
      throw new ConfigException(
          Setting.KAFKA_BOOTSTRAP_SERVERS.key(),
          "cannot use Kafka at " + settings.kafka().bootstrapServers() + ": " + cause);
    } catch (TimeoutException e) {
      throw new ConfigException(
          Setting.KAFKA_BOOTSTRAP_SERVERS.key(),
          "no answer from Kafka at " + settings.kafka().bootstrapServers() + " within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during startup checks", e);
    }
  }

  private static void checkBucket(S3Client s3, String bucket) {
    try {
      s3.headBucket(request -> request.bucket(bucket));
    } catch (NoSuchBucketException e) {
      throw new ConfigException(Setting.S3_BUCKET.key(), "bucket '" + bucket + "' does not exist");
    } catch (SdkException e) {
      throw new ConfigException(
          Setting.S3_BUCKET.key(), "cannot reach bucket '" + bucket + "': " + e.getMessage());
    }
  }
}
