package io.uploadstream.cli;

import io.uploadstream.contract.UploadResult;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which results {@code results} prints ({@code --request-id}, {@code --status}), and what became of
 * the requests it was asked about: the command's exit status. A repeat of a result printed before
 * ({@link UploadResult#sameOutcome}: at-least-once delivery, e.g. share consumption) is not printed
 * again; another outcome of the same request id (the request sent again later) is. Called from one
 * thread.
 */
final class ResultFilter {
  private final Set<String> wanted;
  private final UploadResult.Status status;

  /** The last status seen per wanted request id. */
  private final Map<String, UploadResult.Status> seen = new HashMap<>();

  /**
   * The last result printed per request id, for the most recent {@link #REMEMBERED} ids: a repeat
   * comes soon after the original (a redelivery), and a long {@code --follow} stays bounded.
   */
  private final Map<String, UploadResult> printed =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, UploadResult> eldest) {
          return size() > REMEMBERED;
        }
      };

  static final int REMEMBERED = 100_000;

  /** {@code requestIds} empty: every request; {@code status} null: every status. */
  ResultFilter(List<String> requestIds, UploadResult.Status status) {
    this.wanted = Set.copyOf(requestIds);
    this.status = status;
  }

  /** Whether to print {@code result}; notes it when its request is one asked about. */
  boolean accept(UploadResult result) {
    if (!wanted.isEmpty() && !wanted.contains(result.requestId())) {
      return false;
    }
    UploadResult before = printed.get(result.requestId());
    if (before != null && before.sameOutcome(result)) {
      return false; // a repeat of what was printed
    }
    if (!wanted.isEmpty()) {
      seen.put(result.requestId(), result.status());
    }
    if (status != null && result.status() != status) {
      return false;
    }
    printed.put(result.requestId(), result);
    return true;
  }

  /** Every request asked about has a result (false when none was asked about). */
  boolean allWantedSeen() {
    return !wanted.isEmpty() && seen.keySet().containsAll(wanted);
  }

  /** The request ids asked about that have no result yet, in order. */
  List<String> unseen() {
    return wanted.stream().filter(id -> !seen.containsKey(id)).sorted().toList();
  }

  /** Nothing asked about, or every request asked about has a SUCCEEDED result. */
  boolean allWantedSucceeded() {
    return wanted.isEmpty()
        || (allWantedSeen()
            && seen.values().stream().allMatch(s -> s == UploadResult.Status.SUCCEEDED));
  }
}
