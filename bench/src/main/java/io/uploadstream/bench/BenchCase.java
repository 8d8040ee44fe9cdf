package io.uploadstream.bench;

import java.util.List;

/**
 * One case of the benchmark. Before any case is measured, every case names its topics and
 * processors ({@link #prepare}); then the cases run one after another, each with its processors
 * ready. Each case class also has a static {@code writeData(Plan, TestData)}, which the run calls
 * while the servers start.
 */
interface BenchCase extends AutoCloseable {
  /** Names the topics and processor groups this case needs in {@code fleet}; starts nothing. */
  default void prepare(Fleet.Setup fleet) {}

  /** Whether the case runs processors (they must be ready before it starts). */
  default boolean needsProcessors() {
    return true;
  }

  /**
   * Warms up, calls {@link Context#beforeMeasuring} and measures the contenders; the case's
   * processors are ready.
   */
  List<Series> run() throws InterruptedException;

  /** Releases what {@link #prepare} opened (not the processors: the fleet stops them). */
  @Override
  default void close() {}
}
