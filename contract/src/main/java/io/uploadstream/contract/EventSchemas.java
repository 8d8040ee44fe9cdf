package io.uploadstream.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * The JSON Schemas of the event contract ({@code schemas/*.schema.json}, packaged under {@code
 * /schemas/}), compiled once. Validation reports every violation as a readable line such as {@code
 * "$.requestId: must be at most 128 characters long"}. Instances are immutable and thread-safe.
 */
public final class EventSchemas {

  static final String REQUEST_SCHEMA = "upload-request.schema.json";
  static final String RESULT_SCHEMA = "upload-result.schema.json";
  static final String PROGRESS_SCHEMA = "upload-progress.schema.json";
  private static final String CLASSPATH_DIR = "/schemas/";

  private final Schema request;
  private final Schema result;
  private final Schema progress;

  private EventSchemas(Schema request, Schema result, Schema progress) {
    this.request = request;
    this.result = result;
    this.progress = progress;
  }

  /** The schemas packaged with this build, loaded on first use. */
  public static EventSchemas fromClasspath() {
    return Packaged.INSTANCE;
  }

  /**
   * Compiles the schemas from the given streams (tests use it to check the files in the repository
   * rather than the packaged copies). Closes no stream.
   */
  static EventSchemas read(
      InputStream requestSchema, InputStream resultSchema, InputStream progressSchema) {
    SchemaRegistry registry = newRegistry();
    return new EventSchemas(
        compile(registry, requestSchema),
        compile(registry, resultSchema),
        compile(registry, progressSchema));
  }

  /** Violations of the upload-request schema; empty when {@code event} is a valid request. */
  public List<String> validateRequest(JsonNode event) {
    return describe(request.validate(Objects.requireNonNull(event, "event")));
  }

  /** Violations of the upload-result schema; empty when {@code event} is a valid result. */
  public List<String> validateResult(JsonNode event) {
    return describe(result.validate(Objects.requireNonNull(event, "event")));
  }

  /** Violations of the upload-progress schema; empty when {@code event} is a valid event. */
  public List<String> validateProgress(JsonNode event) {
    return describe(progress.validate(Objects.requireNonNull(event, "event")));
  }

  private static SchemaRegistry newRegistry() {
    SchemaRegistryConfig config =
        SchemaRegistryConfig.builder()
            // 2020-12 treats "format" as an annotation unless asked; the contract means it.
            .formatAssertionsEnabled(true)
            .pathType(PathType.JSON_PATH)
            .build();
    return SchemaRegistry.withDefaultDialect(
        SpecificationVersion.DRAFT_2020_12, builder -> builder.schemaRegistryConfig(config));
  }

  private static Schema compile(SchemaRegistry registry, InputStream source) {
    Schema schema = registry.getSchema(Objects.requireNonNull(source, "source"), InputFormat.JSON);
    // Build every keyword validator now: lazy initialisation is not safe across threads.
    schema.initializeValidators();
    return schema;
  }

  // Fully qualified: the library's Error would shadow java.lang.Error.
  private static List<String> describe(List<com.networknt.schema.Error> errors) {
    return errors.stream()
        .map(error -> error.getInstanceLocation() + ": " + error.getMessage())
        .toList();
  }

  /** Holder idiom: the packaged schemas are compiled once, on first use, without locking. */
  private static final class Packaged {
    static final EventSchemas INSTANCE = load();

    private static EventSchemas load() {
      try (InputStream requestSchema = open(REQUEST_SCHEMA);
          InputStream resultSchema = open(RESULT_SCHEMA);
          InputStream progressSchema = open(PROGRESS_SCHEMA)) {
        return read(requestSchema, resultSchema, progressSchema);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the packaged event schemas", e);
      }
    }

    private static InputStream open(String name) {
      InputStream stream = EventSchemas.class.getResourceAsStream(CLASSPATH_DIR + name);
      if (stream == null) {
        throw new IllegalStateException(
            "schema " + CLASSPATH_DIR + name + " is not on the classpath; is the jar built right?");
      }
      return stream;
    }
  }
}
