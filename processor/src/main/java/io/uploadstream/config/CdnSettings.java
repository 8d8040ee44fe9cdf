package io.uploadstream.config;

import java.util.Optional;

/**
 * How result URLs are built: {@code {baseUrl}/{bucket}/{key}}, or {@code {baseUrl}/{key}} when the
 * CDN serves the bucket at its root. No base URL: the S3 endpoint is the base.
 */
public record CdnSettings(Optional<String> baseUrl, boolean bucketInPath) {}
