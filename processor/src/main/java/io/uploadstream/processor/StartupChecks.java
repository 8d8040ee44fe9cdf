package io.uploadstream.processor;

import io.uploadstream.client.ConfigException;
import io.uploadstream.config.Setting;
import io.uploadstream.config.Settings;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Fails fast, with a message naming what to fix, when the processor could not work: an allowed root
 * that does not exist, a broker that cannot be reached or refuses our credentials, a missing topic,
 * a bucket that does not exist or cannot be reached.
 */
public final class StartupChecks {
  private static final Logger log = LoggerFactory.getLogger(StartupChecks.class);

  /** Kafka's default {@code max.message.bytes}, when a topic does not say. */
  static final int DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

  private StartupChecks() {}

  /** Runs the checks; returns the dead-letter topic's {@code max.message.bytes}. */
  public static int run(Settings settings, S3Client s3, Duration timeout) {
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
    Set<String> topics = new TreeSet<>();
    topics.add(settings.topics().requests());
    topics.add(settings.topics().results());
    topics.add(settings.topics().deadLetters());
    if (settings.processor().largeFileLane()) {
      topics.add(settings.topics().largeRequests());
    }
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

  /**
   * A missing bucket, refused credentials or an untrusted certificate are configuration errors:
   * fail. A store that is merely down (5xx, connection refused, timeout) is not: start anyway,
   * report not-ready, and let uploads wait for it ({@link StorageOutageWait}) instead of crash
   * looping.
   */
  private static void checkBucket(S3Client s3, String bucket) {
    try {
      s3.headBucket(request -> request.bucket(bucket));
    } catch (NoSuchBucketException e) {
      throw new ConfigException(Setting.S3_BUCKET.key(), "bucket '" + bucket + "' does not exist");
    } catch (S3Exception e) {
      if (e.statusCode() < 500 && e.statusCode() != 429) {
        throw new ConfigException(
            Setting.S3_BUCKET.key(), "cannot use bucket '" + bucket + "': " + e.getMessage());
      }
      log.warn("bucket '{}' unavailable at start ({}); starting anyway", bucket, e.getMessage());
    } catch (SdkClientException e) {
      if (isConfigurationError(e)) {
        throw new ConfigException(
            Setting.S3_BUCKET.key(), "cannot reach bucket '" + bucket + "': " + e.getMessage());
      }
      log.warn("bucket '{}' unreachable at start ({}); starting anyway", bucket, e.getMessage());
    }
  }

  /** TLS trust and name resolution failures do not heal by waiting. */
  private static boolean isConfigurationError(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SSLException || t instanceof UnknownHostException) {
        return true;
      }
    }
    return false;
  }
}
