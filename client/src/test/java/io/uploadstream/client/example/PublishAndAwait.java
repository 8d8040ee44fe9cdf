package io.uploadstream.client.example;

import io.uploadstream.client.ClientSettings;
import io.uploadstream.client.FileRequest;
import io.uploadstream.client.ResultsReader;
import io.uploadstream.client.UploadRequests;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * README's Java example, compiled by the build; {@code ReadmeExampleTest} checks that README shows
 * the lines between the markers exactly. It is not run: it needs a running processor.
 */
final class PublishAndAwait {
  private PublishAndAwait() {}

  static void publishAndAwait() throws Exception {
    // README:start
    ClientSettings settings = ClientSettings.of("localhost:9092");
    // The reader's positions are fixed before the request is published: no result is missed.
    try (ResultsReader results = ResultsReader.fromEnd(settings);
        UploadRequests requests = UploadRequests.connect(settings)) {
      UploadRequest request = FileRequest.of(Path.of("/data/report.pdf"), "reports").build();
      requests.publish(request).get();
      Map<String, UploadResult> done =
          results.await(Set.of(request.requestId()), Duration.ofMinutes(5), result -> {});
      UploadResult result = done.get(request.requestId()); // null: none within 5 minutes
      System.out.println(result == null ? "no result" : result.status() + " " + result.cdnUrl());
    }
    // README:end
  }
}
