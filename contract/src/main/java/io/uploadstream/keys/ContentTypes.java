package io.uploadstream.keys;

import java.net.URLConnection;
import java.util.Locale;
import java.util.Map;

/**
 * The Content-Type to store: the one the request gave, else one detected from the file name's
 * extension (case-insensitive), else {@code application/octet-stream}. Our table covers the common
 * web types and wins over the JDK's map, whose answers for some of them are dated ({@code
 * audio/x-wav}) or missing ({@code webp}, {@code avif}, {@code wasm}).
 */
public final class ContentTypes {

  public static final String DEFAULT = "application/octet-stream";

  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          // images
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("webp", "image/webp"),
          Map.entry("avif", "image/avif"),
          Map.entry("heic", "image/heic"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("ico", "image/vnd.microsoft.icon"),
          Map.entry("bmp", "image/bmp"),
          Map.entry("tif", "image/tiff"),
          Map.entry("tiff", "image/tiff"),
          // video
          Map.entry("mp4", "video/mp4"),
          Map.entry("m4v", "video/mp4"),
          Map.entry("mov", "video/quicktime"),
          Map.entry("webm", "video/webm"),
          Map.entry("mkv", "video/x-matroska"),
          Map.entry("avi", "video/x-msvideo"),
          Map.entry("m3u8", "application/vnd.apple.mpegurl"),
          // audio
          Map.entry("mp3", "audio/mpeg"),
          Map.entry("wav", "audio/wav"),
          Map.entry("ogg", "audio/ogg"),
          Map.entry("oga", "audio/ogg"),
          Map.entry("opus", "audio/ogg"),
          Map.entry("flac", "audio/flac"),
          Map.entry("m4a", "audio/mp4"),
          Map.entry("aac", "audio/aac"),
          // documents and text
          Map.entry("pdf", "application/pdf"),
          Map.entry("json", "application/json"),
          Map.entry("txt", "text/plain"),
          Map.entry("md", "text/markdown"),
          Map.entry("html", "text/html"),
          Map.entry("htm", "text/html"),
          Map.entry("css", "text/css"),
          Map.entry("js", "text/javascript"),
          Map.entry("mjs", "text/javascript"),
          Map.entry("csv", "text/csv"),
          Map.entry("xml", "application/xml"),
          Map.entry("wasm", "application/wasm"),
          // fonts
          Map.entry("woff", "font/woff"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("ttf", "font/ttf"),
          Map.entry("otf", "font/otf"),
          // archives
          Map.entry("zip", "application/zip"),
          Map.entry("gz", "application/gzip"),
          Map.entry("tgz", "application/gzip"),
          Map.entry("tar", "application/x-tar"),
          Map.entry("bz2", "application/x-bzip2"),
          Map.entry("xz", "application/x-xz"),
          Map.entry("zst", "application/zstd"),
          Map.entry("7z", "application/x-7z-compressed"));

  private ContentTypes() {}

  /**
   * {@code given} (stripped) if it is not blank, else the type detected from {@code fileName}.
   *
   * @param given the request's contentType, may be null
   * @param fileName the name in the key, may be null
   */
  public static String resolve(String given, String fileName) {
    if (given != null && !given.isBlank()) {
      return given.strip();
    }
    return detect(fileName);
  }

  /** The type for the name's extension, or {@value #DEFAULT} if none is known. */
  static String detect(String fileName) {
    String extension = extension(fileName);
    if (extension.isEmpty()) {
      return DEFAULT;
    }
    String known = BY_EXTENSION.get(extension);
    if (known != null) {
      return known;
    }
    String fromJdk = URLConnection.getFileNameMap().getContentTypeFor("file." + extension);
    return fromJdk == null || fromJdk.isBlank() ? DEFAULT : fromJdk;
  }

  /** Lower-case text after the last dot; empty for "README", ".bashrc" and "name.". */
  private static String extension(String fileName) {
    if (fileName == null) {
      return "";
    }
    String name = fileName.substring(fileName.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
