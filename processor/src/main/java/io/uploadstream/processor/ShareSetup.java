package io.uploadstream.processor;

import io.uploadstream.config.Settings;
import io.uploadstream.contract.RequestDecoder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Wires share consumption ({@code processor.consumption=share}): the group configs first (a refusal
 * stops the start with a message naming the setting), then one member per upload slot, each with
 * its own share consumer, the result producer they share and the watch on the group. Every client
 * is handed to {@code untilStarted} as soon as it exists, so a failed start closes it; once
 * running, {@link ShareConsumption} closes them.
 */
final class ShareSetup {
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

  private ShareSetup() {}

  static ShareConsumption build(
      Settings settings,
      UploadJob uploadJob,
      ResultRecords records,
      UploadActivity activity,
      ProcessorListener listener,
      Consumer<Producer<?, ?>> monitor,
      Consumer<AutoCloseable> untilStarted) {
    Admin admin = KafkaClients.admin(settings);
    untilStarted.accept(admin);
    String group = settings.kafka().groupId();
    Duration lock = new ShareGroupConfigs(admin, group, settings.share(), CHECK_TIMEOUT).apply();
    ShareTiming timing = new ShareTiming(lock, settings.share().stallTimeout());
    Producer<byte[], byte[]> producer = KafkaClients.producer(settings, Lane.SMALL);
    untilStarted.accept(producer);
    monitor.accept(producer);
    // One upload per member at a time; cached, not fixed: an upload that ignores its stop (given
    // up, its member moves on) must not hold the thread its member's next upload needs.
    ExecutorService workers = Executors.newCachedThreadPool(daemons("upload-worker"));
    untilStarted.accept(workers::shutdownNow);
    ShareStop stop = new ShareStop(Clock.systemUTC(), settings.processor().stop().shutdownGrace());
    ShareAnswers answers =
        new ShareAnswers(
            new RequestDecoder(), uploadJob, records, settings.share().deliveryLimit());
    List<ShareMember> members = new ArrayList<>();
    Set<String> clientIds = new HashSet<>();
    for (int member = 1; member <= settings.processor().uploadsInFlight(); member++) {
      ShareConsumer<byte[], byte[]> consumer = KafkaClients.shareConsumer(settings, member);
      untilStarted.accept(consumer);
      clientIds.add(KafkaClients.shareClientId(settings, member));
      members.add(
          new ShareMember(
              consumer,
              List.of(settings.topics().requests()),
              answers,
              workers,
              producer,
              activity,
              stop,
              timing,
              listener,
              Clock.systemUTC()));
    }
    ShareGroupWatch watch =
        new ShareGroupWatch(
                admin,
                group,
                clientIds,
                listener,
                Executors.newSingleThreadScheduledExecutor(daemons("share-group-watch")))
            .start();
    untilStarted.accept(watch);
    return new ShareConsumption(members, workers, producer, watch, stop);
  }

  private static ThreadFactory daemons(String name) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
