package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.config.Settings;
import io.uploadstream.config.SettingsLoader;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The Kafka client settings that bound how fast the group recovers from a crashed instance. */
class KafkaClientsTest {

  private static Settings settings(Map<String, String> extra) {
    Map<String, String> props = new HashMap<>();
    props.put("s3.bucket", "uploads");
    props.put("processor.allowed-roots", "/data");
    props.put("processor.instance-id", "pod-7");
    props.putAll(extra);
    return SettingsLoader.fromProperties(props).processorSettings();
  }

  @Test
  void classicProtocol_staticMember_sixSecondSession_heartbeatsFourTimesPerSession() {
    Map<String, Object> config = KafkaClients.consumerConfig(settings(Map.of()));

    assertThat(config)
        .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "upload-stream-pod-7")
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6000)
        .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1500)
        .containsEntry(
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            CooperativeStickyAssignor.class.getName())
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
  }

  @Test
  void transactionTimeout_twoSecondsPastTheSession() {
    assertThat(KafkaClients.producerConfig(settings(Map.of())))
        .containsEntry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 8000)
        .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "upload-stream-upload-stream-pod-7");
  }

  @Test
  void largeFileLane_isAGroupOfItsOwn_withItsOwnTransactionalIdAndStaticMemberId() {
    Settings settings = settings(Map.of("kafka.group.id", "uploads"));

    assertThat(KafkaClients.consumerConfig(settings, Lane.LARGE))
        .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "uploads.large")
        .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "upload-stream-pod-7-large")
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    assertThat(KafkaClients.consumerConfig(settings, Lane.SMALL))
        .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "uploads")
        .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "upload-stream-pod-7");
    assertThat(KafkaClients.producerConfig(settings, Lane.LARGE))
        .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "upload-stream-uploads-pod-7-large")
        .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "upload-stream-pod-7-large");
  }

  @Test
  void userSettings_winOverTheDefaults() {
    Map<String, Object> config =
        KafkaClients.consumerConfig(
            settings(
                Map.of(
                    "kafka.session.timeout.ms", "20000", "kafka.heartbeat.interval.ms", "5000")));

    assertThat(config)
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "20000")
        .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "5000");
  }

  @Test
  void consumerProtocol_leavesTheBrokerItsSettings_andTheConsumerAcceptsTheConfig() {
    Map<String, Object> config =
        KafkaClients.consumerConfig(settings(Map.of("kafka.group.protocol", "consumer")));

    assertThat(config)
        .doesNotContainKeys(
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    new KafkaConsumer<>(config).close(); // refuses classic-only settings at construction
  }
}
