package io.uploadstream.processor;

import io.uploadstream.config.Settings;
import io.uploadstream.contract.RequestDecoder;
import io.uploadstream.ops.Operations;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Wires share consumption ({@code processor.consumption=share}) for the composition root: the group
 * configs first (a refusal stops the start with a message naming the setting), then one member per
 * upload slot, each with its own share consumer, the result producer they share and the watch on
 * the group. Every resource is pushed on {@code opened} as soon as it exists.
 */
final class ShareSetup {
  private ShareSetup() {}

  static ShareConsumption build(
      Settings settings,
      UploadJob uploadJob,
      ResultRecords records,
      UploadActivity activity,
      Operations ops,
      Duration checkTimeout,
      ThreadFactory workerThreads,
      ThreadFactory watchThread,
      Deque<AutoCloseable> opened) {
    Admin admin = KafkaClients.admin(settings);
    opened.push(admin);
    String group = settings.kafka().groupId();
    Duration lock = new ShareGroupConfigs(admin, group, settings.share(), checkTimeout).apply();
    ShareTiming timing = new ShareTiming(lock, settings.share().stallTimeout());
    Producer<byte[], byte[]> producer = KafkaClients.producer(settings);
    opened.push(producer);
    ops.monitor(producer, Lane.SMALL.tag());
    int slots = settings.processor().uploadsInFlight();
    // One upload per member at a time; cached, not fixed: an upload that ignores its stop (given
    // up, its member moves on) must not hold the thread its member's next upload needs.
    ExecutorService workers = Executors.newCachedThreadPool(workerThreads);
    opened.push(workers::shutdownNow);
    ShareStop stop = new ShareStop(Clock.systemUTC(), settings.processor().stop().shutdownGrace());
    ShareAnswers answers =
        new ShareAnswers(
            new RequestDecoder(), uploadJob, records, settings.share().deliveryLimit());
    List<ShareMember> members = new ArrayList<>();
    Set<String> clientIds = new HashSet<>();
    for (int member = 1; member <= slots; member++) {
      ShareConsumer<byte[], byte[]> consumer = KafkaClients.shareConsumer(settings, member);
      opened.push(consumer);
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
              ops.processorListener(),
              Clock.systemUTC()));
    }
    ShareGroupWatch watch =
        new ShareGroupWatch(
                admin,
                group,
                clientIds,
                ops.processorListener(),
                Executors.newSingleThreadScheduledExecutor(watchThread))
            .start();
    opened.push(watch);
    return new ShareConsumption(members, workers, producer, watch, stop);
  }
}
