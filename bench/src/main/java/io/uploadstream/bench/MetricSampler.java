package io.uploadstream.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Scrapes one gauge of a processor's {@code /metrics} (that metric only) every 100 ms on a thread
 * of its own while it runs, e.g. {@code uploadstream_uploads_in_flight}: an average well below the
 * configured capacity while requests wait means the loop, not the store, sets the pace.
 */
final class MetricSampler implements AutoCloseable {
  private final ProcessorJvm processor;
  private final String metric;
  private final List<Double> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  MetricSampler(ProcessorJvm processor, String metric) {
    this.processor = processor;
    this.metric = metric;
    this.thread = new Thread(this::sample, "bench-metric-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void sample() {
    while (running) {
      double value = processor.metric(metric, "");
      if (!Double.isNaN(value)) {
        synchronized (samples) {
          samples.add(value);
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Stops sampling; returns the mean of the samples (NaN if none). */
  double stopAndAverage() throws InterruptedException {
    close();
    thread.join();
    synchronized (samples) {
      return samples.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
  }

  @Override
  public void close() {
    running = false;
  }
}
