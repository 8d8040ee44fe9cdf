package io.uploadstream.cli;

import io.uploadstream.client.ClientSettings;
import io.uploadstream.client.ClusterCheck;
import io.uploadstream.client.KafkaUnreachableException;

/** What every command that talks to Kafka does first: make sure it answers, quietly. */
final class KafkaPreflight {
  private KafkaPreflight() {}

  /**
   * @throws KafkaUnreachableException within {@code client.connect-timeout} if Kafka cannot be
   *     reached
   */
  static void check(ClientSettings settings) {
    QuietLogs quiet = QuietLogs.errorsOnly("org.apache.kafka");
    try {
      ClusterCheck.requireReachable(settings);
    } finally {
      quiet.close();
    }
  }
}
