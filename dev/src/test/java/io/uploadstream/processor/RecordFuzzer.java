package io.uploadstream.processor;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Makes request records for fuzzing: valid ones, then mutations of them — flipped and dropped
 * bytes, truncation, wrong types, odd Unicode, hostile paths and prefixes — and plain noise.
 */
final class RecordFuzzer {
  private static final String[] PREFIXES = {
    "fuzz", "a/b", "/lead/", "a/../b", "..", "ok\u0000", "\u202e\u0007", "x".repeat(600), "日本/語", ""
  };
  private static final String[] NAMES = {
    null, "f.txt", "a/b.txt", "..", ".", "😀.png", "x".repeat(300), "con\u0001trol", "n ame+%#?.txt"
  };

  private final Random random;
  private final List<String> paths;

  RecordFuzzer(Random random, List<String> paths) {
    this.random = random;
    this.paths = paths;
  }

  byte[] next(int i) {
    return switch (random.nextInt(6)) {
      case 0, 1 -> valid(i);
      case 2 -> mutateBytes(valid(i));
      case 3 -> wrongTypes(i);
      case 4 -> truncate(valid(i));
      default -> noise();
    };
  }

  private byte[] valid(int i) {
    StringBuilder json = new StringBuilder("{");
    json.append("\"requestId\":\"fuzz-").append(i).append('"');
    json.append(",\"filePath\":").append(quote(paths.get(random.nextInt(paths.size()))));
    json.append(",\"prefix\":").append(quote(PREFIXES[random.nextInt(PREFIXES.length)]));
    String name = NAMES[random.nextInt(NAMES.length)];
    if (name != null) {
      json.append(",\"fileName\":").append(quote(name));
    }
    if (random.nextInt(4) == 0) {
      json.append(",\"requestedAt\":\"2025-0")
          .append(1 + random.nextInt(9))
          .append("-01T00:00:00Z\"");
    }
    if (random.nextInt(5) == 0) {
      json.append(",\"metadata\":{\"k\":").append(quote("v" + random.nextInt(100))).append('}');
    }
    if (random.nextInt(5) == 0) {
      json.append(",\"unknownField\":[1,2,{\"x\":null}]");
    }
    return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  private byte[] mutateBytes(byte[] record) {
    int flips = 1 + random.nextInt(4);
    for (int f = 0; f < flips && record.length > 0; f++) {
      record[random.nextInt(record.length)] = (byte) random.nextInt(256);
    }
    return record;
  }

  private byte[] truncate(byte[] record) {
    return java.util.Arrays.copyOf(record, random.nextInt(record.length));
  }

  private byte[] wrongTypes(int i) {
    String[] shapes = {
      "{\"requestId\":" + i + ",\"filePath\":\"/x\",\"prefix\":\"p\"}",
      "{\"requestId\":\"w-" + i + "\",\"filePath\":[\"/x\"],\"prefix\":\"p\"}",
      "{\"requestId\":\"w-" + i + "\",\"filePath\":\"/x\",\"prefix\":null}",
      "{\"requestId\":\"w-" + i + "\",\"filePath\":\"/x\",\"prefix\":\"p\",\"metadata\":{\"k\":1}}",
      "{\"requestId\":\"w-" + i + "\",\"filePath\":\"/x\",\"prefix\":\"p\",\"schemaVersion\":2}",
      "{\"requestId\":\"w\",\"requestId\":\"dup\",\"filePath\":\"/x\",\"prefix\":\"p\"}",
      "null",
      "42",
      "\"string\"",
      "[]",
      "{}",
      "{\"a\":" + "[".repeat(200) + "]".repeat(200) + "}"
    };
    return shapes[random.nextInt(shapes.length)].getBytes(StandardCharsets.UTF_8);
  }

  private byte[] noise() {
    byte[] bytes = new byte[random.nextInt(300)];
    random.nextBytes(bytes);
    return bytes;
  }

  private static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
