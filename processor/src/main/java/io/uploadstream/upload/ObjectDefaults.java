package io.uploadstream.upload;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The object options every object gets unless its request says otherwise ({@code
 * upload.cache-control}, {@code upload.content-disposition}, {@code upload.storage-class}, {@code
 * upload.tags}), and the storage classes a request may ask for ({@code
 * upload.allowed-storage-classes}). {@code null} or empty: none.
 */
public record ObjectDefaults(
    String cacheControl,
    String contentDisposition,
    String storageClass,
    Set<String> allowedStorageClasses,
    Map<String, String> tags) {

  public static final ObjectDefaults NONE =
      new ObjectDefaults(null, null, null, Set.of(), Map.of());

  public ObjectDefaults {
    ObjectOptions.checkHeader("upload.cache-control", cacheControl);
    ObjectOptions.checkHeader("upload.content-disposition", contentDisposition);
    ObjectOptions.checkStorageClass(storageClass);
    allowedStorageClasses = Set.copyOf(allowedStorageClasses);
    allowedStorageClasses.forEach(ObjectOptions::checkStorageClass);
    tags = Map.copyOf(tags);
    ObjectOptions.checkTags(tags);
  }

  /** Whether a request may ask for {@code requested}: listed, or the default anyway. */
  public boolean allowsStorageClass(String requested) {
    return requested.equals(storageClass) || allowedStorageClasses.contains(requested);
  }

  /** The default tags with {@code requested} over them (the request wins for a key both name). */
  public Map<String, String> tagsWith(Map<String, String> requested) {
    Map<String, String> merged = new LinkedHashMap<>(tags);
    merged.putAll(requested);
    return merged;
  }

  /** {@code team=uploads,env=prod}: comma-separated {@code key=value} (S3 tags have no comma). */
  public static Map<String, String> parseTags(String text) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String entry : text.split(",", -1)) {
      if (entry.isBlank()) {
        continue;
      }
      int equals = entry.indexOf('=');
      if (equals < 1) {
        throw new IllegalArgumentException(
            "expected key=value[,key=value...], got '" + entry + "'");
      }
      String key = entry.substring(0, equals).trim();
      if (tags.put(key, entry.substring(equals + 1).trim()) != null) {
        throw new IllegalArgumentException("tag '" + key + "' is named twice");
      }
    }
    ObjectOptions.checkTags(tags);
    return tags;
  }

  /** {@code STANDARD_IA,INTELLIGENT_TIERING}: comma-separated storage class names. */
  public static Set<String> parseStorageClasses(String text) {
    Set<String> classes =
        Arrays.stream(text.split(",", -1))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    classes.forEach(ObjectOptions::checkStorageClass);
    return classes;
  }

  /** A header default as a setting gives it: empty means none; otherwise checked. */
  public static String parseHeader(String name, String text) {
    String value = text == null || text.isBlank() ? null : text.trim();
    ObjectOptions.checkHeader(name, value);
    return value;
  }

  /** A storage class as a setting gives it: empty means the bucket's default. */
  public static String parseStorageClass(String text) {
    String value = text == null || text.isBlank() ? null : text.trim();
    ObjectOptions.checkStorageClass(value);
    return value;
  }
}
