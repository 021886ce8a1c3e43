package io.surge.jobs.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;

/**
 * Reads the job's configuration once in {@code main}: {@code --config scheduler.yaml} (nested or
 * flat {@code surge.*} keys, as Flink's own config.yaml) then {@code --key value} overrides.
 */
public final class JobConfig {

  private JobConfig() {}

  public static Configuration fromArgs(String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("expected --key value, got '" + arg + "'");
      }
      String key = arg.substring(2);
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for --" + key);
      }
      String value = args[++i];
      if (key.equals("config")) {
        values.putAll(readYaml(Path.of(value)));
      } else {
        values.put(key, value);
      }
    }
    return Configuration.fromMap(values);
  }

  /** Flattens a YAML file into dotted keys. */
  public static Map<String, String> readYaml(Path file) {
    try {
      Map<?, ?> tree = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Map.class);
      Map<String, String> flat = new LinkedHashMap<>();
      flatten("", tree, flat);
      return flat;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static void flatten(String prefix, Map<?, ?> tree, Map<String, String> out) {
    for (Map.Entry<?, ?> e : tree.entrySet()) {
      String key = prefix + e.getKey();
      if (e.getValue() instanceof Map<?, ?> child) {
        flatten(key + ".", child, out);
      } else if (e.getValue() != null) {
        out.put(key, String.valueOf(e.getValue()));
      }
    }
  }

  /** The Kafka client properties passed through under {@code surge.kafka.properties.}. */
  public static Properties kafkaProperties(Configuration config) {
    Properties props = new Properties();
    config
        .toMap()
        .forEach(
            (k, v) -> {
              if (k.startsWith(SurgeOptions.KAFKA_PROPERTIES_PREFIX)) {
                props.setProperty(k.substring(SurgeOptions.KAFKA_PROPERTIES_PREFIX.length()), v);
              }
            });
    return props;
  }
}
