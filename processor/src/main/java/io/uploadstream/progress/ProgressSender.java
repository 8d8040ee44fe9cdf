package io.uploadstream.progress;

import io.uploadstream.config.Settings;
import io.uploadstream.config.StopBudget;
import io.uploadstream.contract.EventCodec;
import io.uploadstream.contract.UploadProgress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends progress events to the progress topic with a plain idempotent producer, outside the result
 * transaction. Best-effort by design: {@link #accept} never blocks and never throws; an event that
 * finds the buffer full, or whose send fails, is dropped and counted through {@code onDropped}. One
 * daemon thread drains the buffer, so a slow or unreachable broker delays progress, never uploads.
 */
public final class ProgressSender implements Consumer<UploadProgress>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProgressSender.class);
  public static final int DEFAULT_CAPACITY = 1024;

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final BlockingQueue<UploadProgress> buffer;
  private final Runnable onDropped;
  private final AtomicBoolean failing = new AtomicBoolean();
  private final Thread thread;
  private volatile boolean closed;

  /**
   * A sender to {@code topic} through {@code producer}, which it owns from here on and closes; not
   * draining until {@link #start}.
   */
  public ProgressSender(Producer<byte[], byte[]> producer, String topic, Runnable onDropped) {
    this(producer, topic, DEFAULT_CAPACITY, onDropped);
  }

  ProgressSender(
      Producer<byte[], byte[]> producer, String topic, int capacity, Runnable onDropped) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.buffer = new ArrayBlockingQueue<>(capacity);
    this.onDropped = Objects.requireNonNull(onDropped, "onDropped");
    this.thread = new Thread(this::drain, "upload-stream-progress");
    this.thread.setDaemon(true);
  }

  /** Starts the draining thread. */
  public ProgressSender start() {
    thread.start();
    return this;
  }

  @Override
  public void accept(UploadProgress progress) {
    if (closed || !buffer.offer(progress)) {
      onDropped.run();
    }
  }

  private void drain() {
    while (!closed || !buffer.isEmpty()) {
      UploadProgress next;
      try {
        next = buffer.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (next != null) {
        send(next);
      }
    }
  }

  private void send(UploadProgress progress) {
    byte[] key = progress.requestId().getBytes(StandardCharsets.UTF_8);
    try {
      // The callback sees every outcome; the future adds nothing.
      Future<RecordMetadata> unused =
          producer.send(
              new ProducerRecord<>(topic, key, EventCodec.encode(progress)), this::onCompletion);
    } catch (RuntimeException e) {
      onCompletion(null, e);
    }
  }

  private void onCompletion(RecordMetadata metadata, Exception failure) {
    if (failure == null) {
      if (failing.compareAndSet(true, false)) {
        log.info("progress events to {} flow again", topic);
      }
      return;
    }
    onDropped.run();
    if (failing.compareAndSet(false, true)) {
      log.warn("progress events to {} are being dropped: {}", topic, failure.toString());
    }
  }

  /**
   * Sends what is buffered and closes the producer, both within {@link
   * StopBudget#PROGRESS_FLUSH_WAIT}: what is not sent by then is dropped (progress is advisory).
   */
  @Override
  public void close() {
    closed = true;
    long deadline = System.nanoTime() + StopBudget.PROGRESS_FLUSH_WAIT.toNanos();
    try {
      thread.join(StopBudget.PROGRESS_FLUSH_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  /**
   * The progress producer: plain and idempotent, outside the result transaction, blocking only the
   * draining thread, with a small buffer.
   */
  public static Producer<byte[], byte[]> producer(Settings settings) {
    Map<String, Object> defaults =
        Map.of(
            ProducerConfig.CLIENT_ID_CONFIG,
            "upload-stream-" + settings.processor().instanceId() + "-progress",
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.COMPRESSION_TYPE_CONFIG,
            "lz4",
            // Only the draining thread waits for metadata or buffer space, never an upload.
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            5_000,
            ProducerConfig.BUFFER_MEMORY_CONFIG,
            4L * 1024 * 1024,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            60_000);
    Map<String, Object> required =
        Map.of(
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ByteArraySerializer.class);
    return new KafkaProducer<>(settings.kafka().clientConfig(defaults, required));
  }
}
