package io.uploadstream.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.Map;

/**
 * The one Jackson configuration for events. Reads are bounded because request records come from
 * anyone who can write to the topic; writes are camelCase with instants as ISO-8601 strings and
 * absent values omitted.
 */
final class EventJson {

  /** Deeper than any event needs; stops a hostile [[[[...]]]] long before the stack is at risk. */
  static final int MAX_NESTING_DEPTH = 64;

  /**
   * Not a limit on fields (the schema has those) but on what the parser will read at all: a string
   * the parser refuses is a record with no answer, even when its requestId is fine. The record size
   * limit is checked before parsing and already bounds every string, so this only has to be above
   * any record a topic would carry (Kafka's message.max.bytes is around 1 MiB by default; 64 MiB is
   * far past what anyone configures for requests). Numbers keep Jackson's default length limit: a
   * thousands-digit number costs quadratic time to convert, a long string only linear time.
   */
  static final int MAX_STRING_CHARS = 64 * 1024 * 1024;

  static final int MAX_NAME_CHARS = 1024;

  /** Thread-safe once built; never handed out, so nobody can reconfigure it. */
  static final ObjectMapper MAPPER = build();

  /**
   * For reading past a number over the length limit to the requestId, never for values: a long
   * number costs only linear time to skip, the quadratic cost is in converting it, which a caller
   * of this factory must never ask for.
   */
  static final JsonFactory NUMBERS_SKIPPED =
      JsonFactory.builder()
          .streamReadConstraints(limits().maxNumberLength(MAX_STRING_CHARS).build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private EventJson() {}

  private static StreamReadConstraints.Builder limits() {
    return StreamReadConstraints.builder()
        .maxNestingDepth(MAX_NESTING_DEPTH)
        .maxStringLength(MAX_STRING_CHARS)
        .maxNameLength(MAX_NAME_CHARS);
  }

  private static ObjectMapper build() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(limits().build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    JsonInclude.Value nonNull =
        JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL);
    return JsonMapper.builder(factory)
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .defaultPropertyInclusion(nonNull)
        // An empty metadata map says nothing; leave it out like an absent field.
        .withConfigOverride(
            Map.class,
            override ->
                override.setInclude(
                    JsonInclude.Value.construct(
                        JsonInclude.Include.NON_EMPTY, JsonInclude.Include.NON_NULL)))
        .build();
  }
}
