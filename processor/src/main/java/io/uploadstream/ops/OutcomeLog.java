package io.uploadstream.ops;

import io.uploadstream.contract.UploadResult;
import io.uploadstream.processor.Lane;
import io.uploadstream.processor.ProcessorListener;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per request outcome, written when its result is committed (so a line means the
 * result is on the topic), e.g. {@code request req-1 SUCCEEDED code=NONE key=tmp/2025...-a.png
 * size=1234 durationMs=87 lane=small}. The same values go along as key-value pairs, which the JSON
 * log format writes as fields. A request handed to the large-file lane gets its line from that
 * lane, when its result is committed there ({@code lane=large}).
 */
public final class OutcomeLog implements ProcessorListener {
  private static final Logger log = LoggerFactory.getLogger(OutcomeLog.class);

  @Override
  public void resultCommitted(UploadResult result, Lane lane) {
    String code = result.error() == null ? "NONE" : result.error().code().name();
    Long durationMs =
        result.startedAt() == null || result.completedAt() == null
            ? null
            : Duration.between(result.startedAt(), result.completedAt()).toMillis();
    log.atInfo()
        .addKeyValue("requestId", result.requestId())
        .addKeyValue("status", result.status())
        .addKeyValue("code", code)
        .addKeyValue("key", result.key())
        .addKeyValue("size", result.size())
        .addKeyValue("durationMs", durationMs)
        .addKeyValue("lane", lane.tag())
        .log(
            "request {} {} code={} key={} size={} durationMs={} lane={}",
            result.requestId(),
            result.status(),
            code,
            result.key(),
            result.size(),
            durationMs,
            lane.tag());
  }
}
