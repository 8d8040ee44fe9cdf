package io.uploadstream.processor;

import io.uploadstream.config.Delivery;
import io.uploadstream.config.Settings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The processor's Kafka clients: the request consumer and the result producer with the committer
 * for the configured delivery. Our defaults sit under the user's {@code kafka.*} properties; what
 * the processor depends on (manual commits, idempotence, byte serdes) sits above them.
 *
 * <p>Recovery from a crashed instance is bounded by three of these defaults, derived here: the
 * session timeout (how long the group waits before it moves a silent member's partitions), the
 * heartbeat interval (how fast the survivors hear of the rebalance) and the transaction timeout
 * (how long a transaction the crashed instance left open blocks {@code read_committed} readers of
 * the results and the new owner's offset fetch, plus the broker's {@code
 * transaction.abort.timed.out.transaction.cleanup.interval.ms}). Each instance is a static member
 * ({@code group.instance.id} = {@code processor.instance-id}): restarted within the session timeout
 * it takes its partitions back without a rebalance.
 */
public final class KafkaClients {
  /**
   * The broker's smallest session timeout by default ({@code group.min.session.timeout.ms}), so it
   * works on any broker: a killed instance's partitions move after ~6 s instead of Kafka's 45 s.
   */
  static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

  /** Four heartbeats per session: one lost heartbeat never costs the membership. */
  static final Duration HEARTBEAT_INTERVAL = SESSION_TIMEOUT.dividedBy(4);

  /**
   * A transaction is opened and committed within one publish of a bounded batch (milliseconds). One
   * a crashed instance left open is aborted this long after it began (plus the broker's cleanup
   * interval): the takeover of its partitions waits for the session timeout anyway, so a
   * transaction gets 2 s more than that, and recovery stays within ~10 s when the broker checks
   * every second.
   */
  static final Duration TRANSACTION_TIMEOUT = SESSION_TIMEOUT.plusSeconds(2);

  private KafkaClients() {}

  /** The request consumer of {@code lane}: not subscribed yet; the loop subscribes it. */
  public static Consumer<byte[], byte[]> consumer(Settings settings, Lane lane) {
    return new KafkaConsumer<>(consumerConfig(settings, lane));
  }

  static Map<String, Object> consumerConfig(Settings settings) {
    return consumerConfig(settings, Lane.SMALL);
  }

  /**
   * The consumer of {@code lane}: each lane is a consumer group of its own (the large-file lane's
   * is {@code kafka.group.id} + {@code .large}), so a rebalance of one, which may wait for uploads
   * to finish, never holds up the other.
   */
  static Map<String, Object> consumerConfig(Settings settings, Lane lane) {
    String clientId = lane.clientId(settings.processor().instanceId());
    Map<String, Object> defaults =
        new HashMap<>(
            Map.of(
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG,
                clientId));
    if (!consumerProtocol(settings)) {
      // The classic protocol. With group.protocol=consumer (KIP-848) the broker owns these, and a
      // static member restarted before its session expired is refused (UNRELEASED_INSTANCE_ID).
      defaults.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, clientId);
      defaults.put(
          ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
          CooperativeStickyAssignor.class.getName());
      defaults.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
      defaults.put(
          ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) HEARTBEAT_INTERVAL.toMillis());
    }
    return settings
        .kafka()
        .clientConfig(
            defaults,
            Map.of(
                ConsumerConfig.GROUP_ID_CONFIG,
                lane.groupId(settings.kafka().groupId()),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class));
  }

  /**
   * Consumer-group settings a share consumer refuses ("cannot be set when using a share group"): a
   * user's {@code kafka.*} properties meant for group consumption are not passed to it.
   */
  static final List<String> NOT_FOR_SHARE_CONSUMERS =
      List.of(
          ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
          ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG,
          ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
          ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
          ConsumerConfig.GROUP_PROTOCOL_CONFIG,
          ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG);

  /** The client id of share-group member {@code member} (1, 2, ...) of this instance. */
  static String shareClientId(Settings settings, int member) {
    return "upload-stream-" + settings.processor().instanceId() + "-share-" + member;
  }

  /** Share-group member {@code member} (1, 2, ...): one upload slot. */
  static ShareConsumer<byte[], byte[]> shareConsumer(Settings settings, int member) {
    return new KafkaShareConsumer<>(shareConsumerConfig(settings, member));
  }

  /**
   * Explicit acknowledgement; {@code record_limit} and one record per poll, so a member acquires
   * exactly the one record it can work on (every acquired record's lock ticks).
   */
  static Map<String, Object> shareConsumerConfig(Settings settings, int member) {
    Map<String, Object> config =
        settings
            .kafka()
            .clientConfig(
                Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG,
                    settings.kafka().groupId(),
                    ConsumerConfig.CLIENT_ID_CONFIG,
                    shareClientId(settings, member)),
                Map.of(
                    ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG,
                    "explicit",
                    ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG,
                    "record_limit",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                    1,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    ByteArrayDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    ByteArrayDeserializer.class));
    NOT_FOR_SHARE_CONSUMERS.forEach(config::remove);
    return config;
  }

  static Admin admin(Settings settings) {
    return Admin.create(
        settings
            .kafka()
            .clientConfig(
                Map.of(),
                Map.of(
                    AdminClientConfig.CLIENT_ID_CONFIG,
                    "upload-stream-" + settings.processor().instanceId() + "-admin")));
  }

  /**
   * Whether the user chose the consumer group protocol of KIP-848 ({@code kafka.group.protocol}).
   */
  static boolean consumerProtocol(Settings settings) {
    String protocol = settings.kafka().clientProperties().get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
    return protocol != null && protocol.trim().equalsIgnoreCase("consumer");
  }

  /** The result producer of {@code lane}: transactional in exactly-once mode. */
  public static Producer<byte[], byte[]> producer(Settings settings, Lane lane) {
    return new KafkaProducer<>(producerConfig(settings, lane));
  }

  /**
   * The committer for the configured delivery, publishing with {@code producer}, which it owns from
   * here on (it is closed when the committer is, or at once when the committer cannot start).
   */
  public static ResultCommitter committer(
      Settings settings, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer) {
    if (settings.processor().delivery() != Delivery.EXACTLY_ONCE) {
      return new AcknowledgedCommitter(producer, consumer);
    }
    try {
      return new TransactionalCommitter(producer, consumer::groupMetadata);
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO); // initTransactions failed: refused id, no coordinator
      throw e;
    }
  }

  static Map<String, Object> producerConfig(Settings settings) {
    return producerConfig(settings, Lane.SMALL);
  }

  /** The result producer of {@code lane}, with a transactional id of its own. */
  static Map<String, Object> producerConfig(Settings settings, Lane lane) {
    Map<String, Object> required =
        new HashMap<>(
            Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class));
    if (settings.processor().delivery() == Delivery.EXACTLY_ONCE) {
      String id =
          "upload-stream-" + settings.kafka().groupId() + "-" + settings.processor().instanceId();
      required.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, lane == Lane.SMALL ? id : id + "-large");
    }
    Map<String, Object> defaults =
        Map.of(
            // A batch's records are sent together anyway (the transaction commits right after
            // them), so lingering only delays the first: it goes out while the offsets are sent.
            ProducerConfig.LINGER_MS_CONFIG,
            0,
            ProducerConfig.COMPRESSION_TYPE_CONFIG,
            "lz4",
            ProducerConfig.CLIENT_ID_CONFIG,
            lane.clientId(settings.processor().instanceId()),
            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
            (int) TRANSACTION_TIMEOUT.toMillis(),
            // Bounds each blocking call (metadata, commit) so a publish that retries a few
            // timed-out commits stays well inside max.poll.interval.ms.
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            20_000);
    return settings.kafka().clientConfig(defaults, required);
  }

  /** The producer's record size limit: the user's {@code kafka.max.request.size} or Kafka's. */
  public static int maxRequestSize(Settings settings) {
    String configured =
        settings.kafka().clientProperties().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    return configured == null ? 1_048_576 : Integer.parseInt(configured.trim());
  }
}
