package io.uploadstream.processor;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;

/** Records what one processor in share consumption reports: its records' events, its requests. */
final class ShareRecorder implements ProcessorListener {
  private final Map<ShareRecordEvent, AtomicInteger> events = new ConcurrentHashMap<>();
  final List<String> accepted = new CopyOnWriteArrayList<>();
  private volatile boolean joined;

  @Override
  public void shareRecord(ShareRecordEvent event) {
    events.computeIfAbsent(event, e -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public void requestAccepted(String requestId) {
    accepted.add(requestId);
  }

  @Override
  public void assignmentChanged(Set<TopicPartition> assigned) {
    joined = true;
  }

  boolean joined() {
    return joined;
  }

  int count(ShareRecordEvent event) {
    AtomicInteger count = events.get(event);
    return count == null ? 0 : count.get();
  }

  @Override
  public String toString() {
    return "events " + events + ", accepted " + accepted;
  }
}
