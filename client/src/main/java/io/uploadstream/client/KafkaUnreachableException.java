package io.uploadstream.client;

/**
 * Kafka did not answer at its bootstrap address in time, or refused the connection (TLS, SASL):
 * nothing was published or read. The message names the address and what happened, e.g. {@code
 * cannot reach Kafka at localhost:9092 within 5s (client.connect-timeout): connection refused}.
 */
public final class KafkaUnreachableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String bootstrapServers;

  KafkaUnreachableException(String bootstrapServers, String message, Throwable cause) {
    super(message, cause);
    this.bootstrapServers = bootstrapServers;
  }

  /** The address that was tried ({@code kafka.bootstrap.servers}). */
  public String bootstrapServers() {
    return bootstrapServers;
  }
}
