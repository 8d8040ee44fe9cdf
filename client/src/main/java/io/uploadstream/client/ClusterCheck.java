package io.uploadstream.client;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * Asks the cluster to describe itself within {@code client.connect-timeout}, so a wrong address or
 * a broker that is down fails in seconds with a message that says so. Without it, a producer waits
 * a minute for metadata and then reports a topic "not present in metadata".
 */
public final class ClusterCheck {
  private ClusterCheck() {}

  /**
   * Returns when the cluster answered.
   *
   * @throws KafkaUnreachableException if it did not answer within the timeout or refused us
   */
  public static void requireReachable(ClientSettings settings) {
    String bootstrap = settings.kafka().bootstrapServers();
    Duration timeout = settings.connectTimeout();
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    Map<String, Object> config =
        settings
            .kafka()
            .clientConfig(
                Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "upload-stream-connect-check"),
                Map.of(
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis));
    Admin admin;
    try {
      admin = Admin.create(config);
    } catch (KafkaException e) { // e.g. no resolvable bootstrap address
      throw unreachable(bootstrap, timeout, e);
    }
    try {
      admin
          .describeCluster(new DescribeClusterOptions().timeoutMs(millis))
          .nodes()
          .get(millis + 1000L, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw unreachable(bootstrap, timeout, e.getCause());
    } catch (TimeoutException e) {
      throw unreachable(bootstrap, timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnreachableException(bootstrap, "interrupted while reaching Kafka", e);
    } finally {
      admin.close(Duration.ZERO); // nothing to finish; do not wait on a dead connection
    }
  }

  /** A Kafka client gave up waiting for the cluster: say so, instead of its own words. */
  static KafkaUnreachableException timedOut(
      ClientSettings settings,
      Duration timeout,
      org.apache.kafka.common.errors.TimeoutException e) {
    String bootstrap = settings.kafka().bootstrapServers();
    return new KafkaUnreachableException(
        bootstrap,
        "cannot reach Kafka at " + bootstrap + ": no answer within " + humanised(timeout),
        e);
  }

  /** {@code PT5S} as {@code 5s}. */
  private static String humanised(Duration duration) {
    return duration.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  private static KafkaUnreachableException unreachable(
      String bootstrap, Duration timeout, Throwable cause) {
    if (cause instanceof AuthenticationException) {
      return new KafkaUnreachableException(
          bootstrap,
          "Kafka at " + bootstrap + " refused the connection: " + cause.getMessage(),
          cause);
    }
    return new KafkaUnreachableException(
        bootstrap,
        "cannot reach Kafka at "
            + bootstrap
            + " within "
            + humanised(timeout)
            + " ("
            + ClientSetting.KAFKA_BOOTSTRAP_SERVERS.key()
            + ", "
            + ClientSetting.CLIENT_CONNECT_TIMEOUT.key()
            + ")",
        cause);
  }
}
