package io.surge.jobs.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fenced code blocks of one section of the README, as a reader copies them: a section runs from
 * its heading to the next heading of the same or a higher level, and a bash block's commands are
 * its lines with backslash continuations joined.
 */
final class ReadmeSection {

  private final List<String> lines;

  private ReadmeSection(List<String> lines) {
    this.lines = lines;
  }

  /** The section under the heading {@code heading} (e.g. {@code "## On a real cluster"}). */
  static ReadmeSection of(Path readme, String heading) throws IOException {
    List<String> all = Files.readAllLines(readme);
    int start = all.indexOf(heading);
    if (start < 0) {
      throw new IllegalStateException("no heading '" + heading + "' in " + readme);
    }
    int level = heading.indexOf(' ');
    List<String> section = new ArrayList<>();
    boolean fenced = false;
    for (String line : all.subList(start + 1, all.size())) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      } else if (!fenced && line.startsWith("#") && line.indexOf(' ') > 0) {
        if (line.indexOf(' ') <= level && line.substring(0, line.indexOf(' ')).matches("#+")) {
          break;
        }
      }
      section.add(line);
    }
    return new ReadmeSection(section);
  }

  /** The lines of the first block fenced as {@code language} ({@code ```bash}), in order. */
  List<String> firstBlock(String language) {
    List<String> block = new ArrayList<>();
    boolean inside = false;
    for (String line : lines) {
      if (!inside && line.equals("```" + language)) {
        inside = true;
      } else if (inside && line.startsWith("```")) {
        return block;
      } else if (inside) {
        block.add(line);
      }
    }
    throw new IllegalStateException("no ```" + language + " block in the section");
  }

  /** The commands of the first bash block: continuation lines joined, blank lines dropped. */
  List<String> bashCommands() {
    List<String> commands = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : firstBlock("bash")) {
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1);
        continue;
      }
      current.append(line);
      if (!current.toString().isBlank()) {
        commands.add(current.toString().strip());
      }
      current.setLength(0);
    }
    return commands;
  }

  /** The flat {@code key: value} lines of the first yaml block. */
  Map<String, String> yamlSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String line : firstBlock("yaml")) {
      int colon = line.indexOf(": ");
      if (colon > 0 && !line.startsWith("#")) {
        settings.put(line.substring(0, colon).strip(), line.substring(colon + 2).strip());
      }
    }
    return settings;
  }
}
