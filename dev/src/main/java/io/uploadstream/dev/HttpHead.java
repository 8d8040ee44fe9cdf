package io.uploadstream.dev;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** An HTTP/1.1 message head as received: the start line and headers (names in lower case). */
@SuppressWarnings("ArrayRecordComponent") // the bytes to forward; heads are never compared
record HttpHead(byte[] raw, String startLine, Map<String, String> headers) {
  private static final int MAX_BYTES = 64 * 1024;

  /** Reads up to the blank line; {@code null} when the peer closed before sending anything. */
  static HttpHead read(InputStream in) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream(1024);
    int matched = 0; // how much of CR LF CR LF has been seen
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        if (raw.size() == 0) {
          return null;
        }
        throw new IOException("connection closed inside an HTTP head");
      }
      raw.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (raw.size() > MAX_BYTES) {
        throw new IOException("HTTP head larger than " + MAX_BYTES + " bytes");
      }
    }
    String[] lines = raw.toString(StandardCharsets.ISO_8859_1).split("\r\n", -1);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
        headers.put(name, lines[i].substring(colon + 1).trim());
      }
    }
    return new HttpHead(raw.toByteArray(), lines[0], headers);
  }

  FaultInjectingProxy.Request request() {
    String[] parts = startLine.split(" ", -1);
    String target = parts.length > 1 ? parts[1] : "/";
    int question = target.indexOf('?');
    String path = question < 0 ? target : target.substring(0, question);
    String query = question < 0 ? "" : target.substring(question + 1);
    return new FaultInjectingProxy.Request(parts[0], path, query, Map.copyOf(headers));
  }

  /** A 1xx response (100 Continue): more heads follow. */
  boolean isInterim() {
    return startLine.matches("HTTP/1\\.[01] 1\\d\\d.*");
  }

  boolean expectsContinue() {
    return "100-continue".equalsIgnoreCase(headers.get("expect"));
  }

  /** This request head with its Connection headers replaced by {@code Connection: close}. */
  byte[] withConnectionClose() {
    StringBuilder head = new StringBuilder(startLine).append("\r\n");
    String[] lines = new String(raw, StandardCharsets.ISO_8859_1).split("\r\n", -1);
    for (int i = 1; i < lines.length; i++) {
      String name = lines[i].toLowerCase(Locale.ROOT);
      if (name.isEmpty() // the blank line that ends the head, added back below
          || name.startsWith("connection:")
          || name.startsWith("keep-alive:")
          || name.startsWith("proxy-connection:")) {
        continue;
      }
      head.append(lines[i]).append("\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    return head.toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}
