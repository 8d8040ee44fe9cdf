package io.uploadstream.processor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Share consumption ({@code processor.consumption=share}): the processor's share-group members, one
 * thread each, and what they share — the upload workers, the result producer, the stop and the
 * watch on the group. {@link #start} starts a thread that starts the members and waits until every
 * one has stopped; a member that fails stops the others, and the failure is the whole's.
 */
final class ShareConsumption implements RequestLoops {
  private static final Logger log = LoggerFactory.getLogger(ShareConsumption.class);

  private final List<ShareMember> members;
  private final ExecutorService workers;
  private final Producer<byte[], byte[]> producer;
  private final AutoCloseable watch;
  private final ShareStop stop;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread main = new Thread(this::run, "upload-stream-share");

  /**
   * @param workers the upload threads, one per member; shut down with this
   * @param producer publishes results and dead letters; closed with this
   * @param watch the group watch (readiness, pending records); closed with this
   */
  ShareConsumption(
      List<ShareMember> members,
      ExecutorService workers,
      Producer<byte[], byte[]> producer,
      AutoCloseable watch,
      ShareStop stop) {
    this.members = List.copyOf(members);
    this.workers = workers;
    this.producer = producer;
    this.watch = watch;
    this.stop = stop;
  }

  @Override
  public void start() {
    main.start();
  }

  @Override
  public boolean isRunning() {
    return main.isAlive();
  }

  @Override
  public List<Thread> threads() {
    return List.of(main);
  }

  private void run() {
    try {
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < members.size(); i++) {
        Thread thread = new Thread(guarded(members.get(i)), "upload-stream-share-" + (i + 1));
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure.compareAndSet(null, e);
      stop.request();
    } finally {
      close();
      stopped.countDown();
    }
  }

  /** A member that fails stops the others: the processor ends loudly instead of running short. */
  private Runnable guarded(ShareMember member) {
    return () -> {
      try {
        member.run();
      } catch (RuntimeException | Error e) {
        log.error("share-group member failed: stopping the processor", e);
        failure.compareAndSet(null, e);
        stop.request();
      }
    };
  }

  @Override
  public void stop() {
    stop.request();
  }

  @Override
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Throwable failure() {
    return failure.get();
  }

  private void close() {
    workers.shutdownNow(); // every member ended its job first: nothing runs here any more
    closeQuietly("result producer", producer);
    closeQuietly("share group watch", watch);
  }

  private static void closeQuietly(String what, AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.warn("closing the {} failed: {}", what, e.toString());
    }
  }
}
