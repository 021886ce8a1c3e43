package io.surge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.surge.jobs.config.SurgeOptions;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/**
 * The README's shell blocks as written: every {@code ./surge} command parses (its subcommand and
 * options exist, its values convert), and every {@code --surge.*} key given to {@code flink run} is
 * an option of the job. Keeps the cluster recipe from rotting as options change.
 */
class ReadmeCommandsTest {

  private static final Pattern SURGE_KEY = Pattern.compile("--(surge\\.[a-z0-9.-]+)");

  @Test
  void everySurgeCommandInTheReadmeParses() throws IOException {
    List<String> commands = commands("./surge ");
    assertThat(commands).hasSizeGreaterThanOrEqualTo(8);
    for (String command : commands) {
      String[] args = words(command.substring("./surge ".length())).toArray(String[]::new);
      assertThatCode(() -> SurgeCli.commandLine().parseArgs(args))
          .as("README: %s", command)
          .doesNotThrowAnyException();
    }
  }

  @Test
  void everyJobOptionOfFlinkRunInTheReadmeExists() throws Exception {
    Set<String> keys = new HashSet<>();
    for (Field f : SurgeOptions.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.get(null) instanceof ConfigOption<?> option) {
        keys.add(option.key());
      }
    }
    List<String> runs = commands("flink run ");
    assertThat(runs).isNotEmpty();
    for (String run : runs) {
      Matcher m = SURGE_KEY.matcher(run);
      while (m.find()) {
        assertThat(keys).as("README: %s", run).contains(m.group(1));
      }
    }
  }

  /** Commands that start with {@code prefix} in the README's bash blocks, continuations joined. */
  private static List<String> commands(String prefix) throws IOException {
    List<String> commands = new ArrayList<>();
    boolean inBash = false;
    StringBuilder current = null;
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      if (line.startsWith("```")) {
        inBash = line.equals("```bash");
        continue;
      }
      if (!inBash) {
        continue;
      }
      String code = stripComment(line).strip();
      if (current != null) {
        current.append(' ').append(code);
      } else if (code.startsWith(prefix)) {
        current = new StringBuilder(code);
      } else {
        continue;
      }
      if (current.toString().endsWith("\\")) {
        current.setLength(current.length() - 1);
      } else {
        commands.add(current.toString().strip());
        current = null;
      }
    }
    return commands;
  }

  /** The line without a trailing {@code # comment} (a # inside quotes is kept). */
  private static String stripComment(String line) {
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == '#' && !quoted && (i == 0 || line.charAt(i - 1) == ' ')) {
        return line.substring(0, i);
      }
    }
    return line;
  }

  /** Shell words: split at spaces, double quotes group. */
  private static List<String> words(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (char c : command.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (c == ' ' && !quoted) {
        if (any) {
          words.add(word.toString());
          word.setLength(0);
          any = false;
        }
      } else {
        word.append(c);
        any = true;
      }
    }
    if (any) {
      words.add(word.toString());
    }
    return words;
  }
}
