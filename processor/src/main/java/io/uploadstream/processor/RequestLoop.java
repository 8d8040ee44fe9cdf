package io.uploadstream.processor;

import java.time.Duration;

/**
 * What a {@link Processor} runs on its loop thread: the consumer-group loop ({@link ConsumerLoop})
 * or the share-group members ({@link ShareConsumption}). {@link #run} returns once the loop has
 * stopped, on its own (a fatal error: {@link #failure}) or after {@link #stop}.
 */
interface RequestLoop extends Runnable {

  /** Asks the loop to stop fetching, finish (or hand over) in-flight uploads and exit. */
  void stop();

  boolean awaitStopped(Duration timeout) throws InterruptedException;

  /** Why the loop ended on its own, or null. */
  Throwable failure();
}
