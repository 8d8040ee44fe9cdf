package io.uploadstream.processor;

import io.uploadstream.config.Settings;
import io.uploadstream.contract.RequestDecoder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

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
   * Builds every lane's loop from the clients the composition root made for it.
   *
   * @param jobs the upload job of each lane (the small lane's hands large files off)
   */
  static Lanes build(
      Settings settings,
      ResultRecords records,
      Function<Lane, UploadJob> jobs,
      List<LaneClients> clients,
      ProcessorListener listener) {
    Lanes built = new Lanes();
    for (LaneClients lane : clients) {
      ConsumerLoop loop = loop(lane, settings, records, jobs.apply(lane.lane()), listener);
      built.running.add(
          new Running(
              lane.lane(), loop, new Thread(() -> built.run(loop), threadName(lane.lane()))));
    }
    return built;
  }

  private static ConsumerLoop loop(
      LaneClients clients,
      Settings settings,
      ResultRecords records,
      UploadJob job,
      ProcessorListener listener) {
    Lane lane = clients.lane();
    LoopSettings loopSettings = LoopSettings.of(settings.processor(), lane);
    return new ConsumerLoop(
        clients.consumer(),
        lane == Lane.SMALL ? settings.topics().requests() : settings.topics().largeRequests(),
        new RequestDecoder(),
        job,
        records,
        new Dispatcher(loopSettings.uploadSlots(), clients.workers()),
        clients.committer(),
        listener,
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
}
