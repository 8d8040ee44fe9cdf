package io.uploadstream.deploy;

import io.uploadstream.config.Setting;
import io.uploadstream.config.Settings;
import io.uploadstream.config.SettingsLoader;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * What a deployment file may put into a processor's environment: the {@link Setting} names and
 * {@code UPLOAD_STREAM_KAFKA_*} pass-through names of real Kafka client properties (underscores
 * read as dots, as the settings loader does).
 */
final class ProcessorEnvironment {
  static final String PREFIX = "UPLOAD_STREAM_";
  private static final String KAFKA_PREFIX = PREFIX + "KAFKA_";
  private static final Set<String> SETTING_NAMES =
      Arrays.stream(Setting.values()).map(Setting::envName).collect(Collectors.toUnmodifiableSet());
  private static final Set<String> KAFKA_PROPERTIES = kafkaProperties();

  private ProcessorEnvironment() {}

  /** Why the processor would not read {@code name}, if it would not. */
  static Optional<String> problem(String name) {
    if (!name.startsWith(PREFIX)) {
      return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z]", "").startsWith("UPLOADSTREAM")
          ? Optional.of(name + ": misspelled prefix, settings start with " + PREFIX)
          : Optional.empty(); // not ours: JAVA_TOOL_OPTIONS, KAFKA_SASL_USERNAME, ...
    }
    if (SETTING_NAMES.contains(name)) {
      return Optional.empty();
    }
    if (name.startsWith(KAFKA_PREFIX)) {
      String property =
          name.substring(KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
      return KAFKA_PROPERTIES.contains(property)
          ? Optional.empty()
          : Optional.of(name + ": passes '" + property + "', which no Kafka client knows");
    }
    return Optional.of(name + ": neither a setting nor a " + KAFKA_PREFIX + "* pass-through");
  }

  static List<String> problems(Collection<String> names) {
    return names.stream().map(ProcessorEnvironment::problem).flatMap(Optional::stream).toList();
  }

  /** The settings a processor started with this environment runs with; a bad one throws. */
  static Settings load(Map<String, String> env) {
    return SettingsLoader.from(null, env).processorSettings();
  }

  /** Bytes of part buffers the processor may hold: uploads × parts per upload × part size. */
  /** Every upload slot of both lanes may hold its parts in flight at once. */
  static long partBufferBytes(Settings settings) {
    return uploadSlots(settings)
        * (long) settings.uploader().partsInFlight()
        * settings.uploader().partSizeBytes();
  }

  static int uploadSlots(Settings settings) {
    var processor = settings.processor();
    return processor.uploadsInFlight()
        + (processor.lanes().enabled() ? processor.lanes().largeUploadsInFlight() : 0);
  }

  private static Set<String> kafkaProperties() {
    Set<String> names = new HashSet<>(ConsumerConfig.configNames());
    names.addAll(ProducerConfig.configNames());
    names.addAll(AdminClientConfig.configNames());
    return Set.copyOf(names);
  }
}
