package io.uploadstream.ops;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** An S3 client whose HeadBucket answers or fails as the test says; nothing else works. */
final class FakeBucket implements S3Client {
  private volatile boolean reachable = true;
  private final AtomicInteger calls = new AtomicInteger();

  FakeBucket reachable(boolean value) {
    reachable = value;
    return this;
  }

  int calls() {
    return calls.get();
  }

  @Override
  public HeadBucketResponse headBucket(HeadBucketRequest request) {
    calls.incrementAndGet();
    if (!reachable) {
      AwsServiceException.Builder failure =
          S3Exception.builder().statusCode(503).message("Service Unavailable");
      throw failure.build();
    }
    return HeadBucketResponse.builder().build();
  }

  @Override
  public String serviceName() {
    return "s3";
  }

  @Override
  public void close() {}
}
