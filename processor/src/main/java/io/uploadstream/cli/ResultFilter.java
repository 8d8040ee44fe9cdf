package io.uploadstream.cli;

import io.uploadstream.contract.UploadResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which results {@code results} prints ({@code --request-id}, {@code --status}), and what became of
 * the requests it was asked about: the command's exit status. Called from one thread.
 */
final class ResultFilter {
  private final Set<String> wanted;
  private final UploadResult.Status status;

  /** The last status seen per wanted request id. */
  private final Map<String, UploadResult.Status> seen = new HashMap<>();

  /** {@code requestIds} empty: every request; {@code status} null: every status. */
  ResultFilter(List<String> requestIds, UploadResult.Status status) {
    this.wanted = Set.copyOf(requestIds);
    this.status = status;
  }

  /** Whether to print {@code result}; notes it when its request is one asked about. */
  boolean accept(UploadResult result) {
    if (!wanted.isEmpty()) {
      if (!wanted.contains(result.requestId())) {
        return false;
      }
      seen.put(result.requestId(), result.status());
    }
    return status == null || result.status() == status;
  }

  /** Every request asked about has a result (false when none was asked about). */
  boolean allWantedSeen() {
    return !wanted.isEmpty() && seen.keySet().containsAll(wanted);
  }

  /** Nothing asked about, or every request asked about has a SUCCEEDED result. */
  boolean allWantedSucceeded() {
    return wanted.isEmpty()
        || allWantedSeen()
            && seen.values().stream().allMatch(s -> s == UploadResult.Status.SUCCEEDED);
  }
}
