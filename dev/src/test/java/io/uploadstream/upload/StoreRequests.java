package io.uploadstream.upload;

import io.uploadstream.dev.FaultInjectingProxy.Request;
import java.util.List;

/** What kind of S3 call a request seen at the fault proxy is. */
final class StoreRequests {
  private StoreRequests() {}

  static boolean isCreateMultipartUpload(Request r) {
    return r.method().equals("POST") && hasParameter(r, "uploads");
  }

  static boolean isCompleteMultipartUpload(Request r) {
    return r.method().equals("POST") && hasParameter(r, "uploadId");
  }

  static boolean isListMultipartUploads(Request r) {
    return r.method().equals("GET") && hasParameter(r, "uploads");
  }

  static boolean isAbortMultipartUpload(Request r) {
    return r.method().equals("DELETE") && hasParameter(r, "uploadId");
  }

  static boolean isPutObject(Request r) {
    return r.method().equals("PUT") && !r.isUploadPart();
  }

  static boolean isHeadObject(Request r) {
    return r.method().equals("HEAD");
  }

  /** The value of {@code uploadId} in the query, or null. */
  static String uploadId(Request r) {
    for (String parameter : r.query().split("&", -1)) {
      if (parameter.startsWith("uploadId=")) {
        return java.net.URLDecoder.decode(
            parameter.substring("uploadId=".length()), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  static List<Integer> uploadedPartNumbers(List<Request> requests) {
    return requests.stream().filter(Request::isUploadPart).map(Request::partNumber).toList();
  }

  private static boolean hasParameter(Request r, String name) {
    for (String parameter : r.query().split("&", -1)) {
      if (parameter.equals(name) || parameter.startsWith(name + "=")) {
        return true;
      }
    }
    return false;
  }
}
