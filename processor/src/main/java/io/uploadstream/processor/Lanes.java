package io.uploadstream.processor;

import io.uploadstream.config.Settings;
import io.uploadstream.contract.RequestDecoder;
import io.uploadstream.ops.Operations;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The loops of one processor, one per {@link Lane}, each with its own consumer (a group of its
 * own), transactional producer, upload slots and thread: the small lane serves the request topic
 * and hands requests for large files to the large lane, which serves the large-request topic. With
 * the lanes off there is only the small lane. If one loop stops on a fatal error, the others are
 * stopped too, so the instance ends (and is restarted) as a whole.
 */
final class Lanes implements RequestLoops {
  private record Running(Lane lane, ConsumerLoop loop, Thread thread) {}

  /** Filled once by {@link #build}, before any thread starts; read-only afterwards. */
  private final List<Running> running = new ArrayList<>();

  private Lanes() {}

  /**
   * Builds every lane's loop; each client is pushed on {@code opened} as soon as it exists, so a
   * failed start closes what was built.
   *
   * @param jobs the upload job of each lane (the small lane's hands large files off)
   */
  static Lanes build(
      Settings settings,
      ResultRecords records,
      Function<Lane, UploadJob> jobs,
      Operations ops,
      Deque<AutoCloseable> opened) {
    List<Lane> lanes =
        settings.processor().lanes().enabled()
            ? List.of(Lane.SMALL, Lane.LARGE)
            : List.of(Lane.SMALL);
    List<ConsumerLoop> loops = new ArrayList<>();
    for (Lane lane : lanes) {
      loops.add(loop(lane, settings, records, jobs.apply(lane), ops, opened));
    }
    Lanes built = new Lanes();
    for (int i = 0; i < lanes.size(); i++) {
      Lane lane = lanes.get(i);
      ConsumerLoop loop = loops.get(i);
      built.running.add(
          new Running(lane, loop, new Thread(() -> built.run(loop), threadName(lane))));
    }
    return built;
  }

  private static ConsumerLoop loop(
      Lane lane,
      Settings settings,
      ResultRecords records,
      UploadJob job,
      Operations ops,
      Deque<AutoCloseable> opened) {
    Consumer<byte[], byte[]> consumer = KafkaClients.consumer(settings, lane);
    opened.push(consumer);
    ops.monitor(consumer, lane.tag());
    ResultCommitter committer = KafkaClients.committer(settings, consumer, ops, lane);
    opened.push(committer);
    LoopSettings loopSettings = LoopSettings.of(settings.processor(), lane);
    int slots = loopSettings.uploadSlots();
    String workers = lane == Lane.SMALL ? "upload-worker" : "upload-large-worker";
    Dispatcher dispatcher =
        new Dispatcher(slots, Executors.newFixedThreadPool(slots, daemons(workers)));
    opened.push(dispatcher);
    return new ConsumerLoop(
        consumer,
        lane == Lane.SMALL ? settings.topics().requests() : settings.topics().largeRequests(),
        new RequestDecoder(),
        job,
        records,
        dispatcher,
        committer,
        ops.processorListener(),
        Clock.systemUTC(),
        loopSettings);
  }

  private static String threadName(Lane lane) {
    return lane == Lane.SMALL ? "upload-stream-loop" : "upload-stream-large-loop";
  }

  /** A loop's thread: when it ends on a fatal error, the other lanes stop as well. */
  private void run(ConsumerLoop loop) {
    try {
      loop.run();
    } finally {
      if (loop.failure() != null) {
        stop();
      }
    }
  }

  @Override
  public void start() {
    running.forEach(lane -> lane.thread().start());
  }

  /** Asks every loop to stop fetching, finish or hand over its uploads, commit and exit. */
  @Override
  public void stop() {
    running.forEach(lane -> lane.loop().stop());
  }

  /** Whether every loop stopped within {@code timeout} (they stop side by side). */
  @Override
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Running lane : running) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      if (!lane.loop().awaitStopped(left)) {
        return false;
      }
    }
    return true;
  }

  /** Why a loop stopped on its own, if one did. */
  @Override
  public Throwable failure() {
    return running.stream()
        .map(lane -> lane.loop().failure())
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  /** Whether every loop runs. */
  @Override
  public boolean isRunning() {
    return running.stream().allMatch(lane -> lane.thread().isAlive());
  }

  @Override
  public List<Thread> threads() {
    return running.stream().map(Running::thread).toList();
  }

  static ThreadFactory daemons(String name) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
