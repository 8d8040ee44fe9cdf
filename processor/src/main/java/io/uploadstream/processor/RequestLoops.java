package io.uploadstream.processor;

import java.time.Duration;
import java.util.List;

/**
 * What a {@link Processor} runs: the consumer-group lanes ({@link Lanes}, {@code
 * processor.consumption=group}) or the share-group members ({@link ShareConsumption}, {@code
 * share}). Either stops as a whole: a fatal error in one of its threads stops the others.
 */
interface RequestLoops {

  void start();

  /** Asks every loop to stop fetching, finish or hand over its uploads, and exit. */
  void stop();

  /** Whether every loop stopped within {@code timeout}. */
  boolean awaitStopped(Duration timeout) throws InterruptedException;

  /** Why a loop stopped on its own, or null. */
  Throwable failure();

  /** Whether every loop runs. */
  boolean isRunning();

  /** The threads the health checks watch. */
  List<Thread> threads();
}
