package io.uploadstream.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The instructions of a Dockerfile: continuation lines joined, comments dropped. */
record DockerfileInstructions(List<Instruction> all) {
  private static final Pattern MAX_RAM = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)");

  record Instruction(String keyword, String arguments) {}

  static DockerfileInstructions read(Path file) {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : RepositoryFiles.text(file).split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String[] parts = current.toString().strip().split("\\s+", 2);
      instructions.add(
          new Instruction(parts[0].toUpperCase(Locale.ROOT), parts.length > 1 ? parts[1] : ""));
      current.setLength(0);
    }
    return new DockerfileInstructions(List.copyOf(instructions));
  }

  static DockerfileInstructions ofRepository() {
    return read(RepositoryFiles.path("Dockerfile"));
  }

  List<String> arguments(String keyword) {
    return all.stream()
        .filter(i -> i.keyword().equals(keyword))
        .map(Instruction::arguments)
        .toList();
  }

  /** The instructions of the last stage: what the image is. */
  DockerfileInstructions finalStage() {
    int from = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).keyword().equals("FROM")) {
        from = i;
      }
    }
    return new DockerfileInstructions(all.subList(from, all.size()));
  }

  /** The image of each FROM, without its {@code AS name}. */
  List<String> baseImages() {
    return arguments("FROM").stream().map(arguments -> arguments.split("\\s+", -1)[0]).toList();
  }

  /** MaxRAMPercentage of the final stage's JAVA_TOOL_OPTIONS. */
  double maxRamPercentage() {
    String env = String.join(" ", finalStage().arguments("ENV"));
    Matcher matcher = MAX_RAM.matcher(env);
    if (!env.contains("JAVA_TOOL_OPTIONS") || !matcher.find()) {
      throw new AssertionError("the image sets no -XX:MaxRAMPercentage in JAVA_TOOL_OPTIONS");
    }
    return Double.parseDouble(matcher.group(1));
  }
}
