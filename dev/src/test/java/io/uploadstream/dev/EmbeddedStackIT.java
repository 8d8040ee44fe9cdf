package io.uploadstream.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class EmbeddedStackIT {
  @TempDir Path dir;

  @Test
  void brokerAndS3Server_startAndServeRealTraffic() throws Exception {
    try (EmbeddedKafka kafka =
            EmbeddedKafka.create(dir.resolve("kafka"), 0).start(Duration.ofSeconds(60));
        EmbeddedS3 s3 = EmbeddedS3.onDisk(dir.resolve("s3"), 0).start()) {
      kafka.createTopics(List.of(new NewTopic("smoke", 3, (short) 1)));
      try (var producer =
          new KafkaProducer<>(
              Map.<String, Object>of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        producer.send(new ProducerRecord<>("smoke", "k", "hello")).get();
      }
      try (var consumer =
          new KafkaConsumer<>(
              Map.<String, Object>of(
                  ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  kafka.bootstrapServers(),
                  ConsumerConfig.GROUP_ID_CONFIG,
                  "g",
                  ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                  "earliest"),
              new StringDeserializer(),
              new StringDeserializer())) {
        consumer.subscribe(List.of("smoke"));
        ConsumerRecords<String, String> records = ConsumerRecords.empty();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (records.isEmpty() && System.nanoTime() < deadline) {
          records = consumer.poll(Duration.ofMillis(500));
        }
        assertThat(records.iterator().next().value()).isEqualTo("hello");
      }
      try (S3Client client =
          S3Client.builder()
              .endpointOverride(s3.endpoint())
              .region(Region.US_EAST_1)
              .forcePathStyle(true)
              .credentialsProvider(
                  StaticCredentialsProvider.create(
                      AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
              .build()) {
        client.createBucket(b -> b.bucket("smoke"));
        client.putObject(b -> b.bucket("smoke").key("a/b.txt"), RequestBody.fromString("hi"));
        assertThat(client.getObjectAsBytes(b -> b.bucket("smoke").key("a/b.txt")).asUtf8String())
            .isEqualTo("hi");
      }
    }
  }
}
