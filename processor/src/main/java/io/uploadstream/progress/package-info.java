/** Progress events: per-request upload progress, rate-limited and sent best-effort to Kafka. */
package io.uploadstream.progress;
