package io.surge.serving.engine;

import io.surge.serving.engine.ModelConfig.DynamicBatching;
import io.surge.serving.engine.ModelConfig.QueuePolicy;
import io.surge.serving.engine.ModelConfig.TensorConfig;
import io.surge.serving.engine.ModelConfig.TimeoutAction;
import io.surge.serving.engine.PbtxtMessage.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps a parsed {@code config.pbtxt} onto {@link ModelConfig}. Unknown fields are ignored, as Surge
 * reads only a subset of Triton's schema; known fields with bad values fail with their line.
 */
final class ModelConfigReader {

  private final String source;

  private ModelConfigReader(String source) {
    this.source = source;
  }

  static ModelConfig read(String source, String text) {
    return new ModelConfigReader(source).config(PbtxtParser.parse(source, text));
  }

  private ModelConfig config(PbtxtMessage root) {
    String name = null;
    String platform = "";
    String backend = "";
    int maxBatchSize = 0;
    List<TensorConfig> inputs = new ArrayList<>();
    List<TensorConfig> outputs = new ArrayList<>();
    DynamicBatching batching = null;
    Map<String, String> parameters = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (Field field : root.fields()) {
      switch (field.name()) {
        case "name" -> name = string(once(field, seen));
        case "platform" -> platform = string(once(field, seen));
        case "backend" -> backend = string(once(field, seen));
        case "max_batch_size" ->
            maxBatchSize = (int) integer(once(field, seen), 0, Integer.MAX_VALUE);
        case "input" -> inputs.add(tensor(field));
        case "output" -> outputs.add(tensor(field));
        case "dynamic_batching" -> batching = dynamicBatching(message(once(field, seen)));
        case "parameters" -> parameter(field, parameters);
        default -> {
          // Fields Surge does not use (instance_group, optimization, ...) are Triton's business.
        }
      }
    }
    if (name == null) {
      throw ModelConfigException.at(source, 1, "missing 'name'");
    }
    try {
      return new ModelConfig(
          name, platform, backend, maxBatchSize, inputs, outputs, batching, parameters);
    } catch (ModelConfigException e) {
      throw new ModelConfigException(source + ": " + e.getMessage());
    }
  }

  private TensorConfig tensor(Field field) {
    PbtxtMessage message = message(field);
    String name = null;
    String dataType = null;
    List<Long> dims = new ArrayList<>();
    long[] reshape = null;
    Set<String> seen = new HashSet<>();
    for (Field f : message.fields()) {
      switch (f.name()) {
        case "name" -> name = string(once(f, seen));
        case "data_type" -> dataType = word(once(f, seen));
        case "dims" -> dims.add(integer(f, -1, Long.MAX_VALUE));
        case "reshape" -> reshape = reshape(message(once(f, seen)));
        default -> {
          // e.g. format, optional: not used by Surge
        }
      }
    }
    if (name == null) {
      throw ModelConfigException.at(source, field.line(), field.name() + " without 'name'");
    }
    if (dataType == null) {
      throw ModelConfigException.at(
          source, field.line(), field.name() + " '" + name + "' without 'data_type'");
    }
    try {
      return new TensorConfig(name, TensorConfig.fromTritonType(dataType), toArray(dims), reshape);
    } catch (ModelConfigException e) {
      throw ModelConfigException.at(source, field.line(), e.getMessage());
    }
  }

  /** {@code reshape { shape: [ ... ] }}; an empty list is an empty shape. */
  private long[] reshape(PbtxtMessage message) {
    List<Long> shape = new ArrayList<>();
    for (Field f : message.fields()) {
      if (f.name().equals("shape")) {
        // range checked with Triton's message by the config itself
        shape.add(integer(f, Long.MIN_VALUE, Long.MAX_VALUE));
      }
    }
    return toArray(shape);
  }

  private DynamicBatching dynamicBatching(PbtxtMessage message) {
    long delay = 0;
    List<Integer> preferred = new ArrayList<>();
    QueuePolicy policy = QueuePolicy.DEFAULT;
    Set<String> seen = new HashSet<>();
    for (Field f : message.fields()) {
      switch (f.name()) {
        case "max_queue_delay_microseconds" -> delay = integer(once(f, seen), 0, Long.MAX_VALUE);
        case "preferred_batch_size" -> preferred.add((int) integer(f, 1, Integer.MAX_VALUE));
        case "default_queue_policy" -> policy = queuePolicy(message(once(f, seen)));
        default -> {
          // priority_levels, priority_queue_policy, preserve_ordering: not supported, ignored
        }
      }
    }
    return new DynamicBatching(delay, preferred, policy);
  }

  private QueuePolicy queuePolicy(PbtxtMessage message) {
    TimeoutAction action = TimeoutAction.REJECT;
    long timeout = 0;
    boolean override = false;
    int maxQueueSize = 0;
    Set<String> seen = new HashSet<>();
    for (Field f : message.fields()) {
      switch (f.name()) {
        case "timeout_action" -> action = timeoutAction(once(f, seen));
        case "default_timeout_microseconds" -> timeout = integer(once(f, seen), 0, Long.MAX_VALUE);
        case "allow_timeout_override" -> override = bool(once(f, seen));
        case "max_queue_size" -> maxQueueSize = (int) integer(once(f, seen), 0, Integer.MAX_VALUE);
        default -> {
          // unknown queue policy fields are ignored
        }
      }
    }
    return new QueuePolicy(action, timeout, override, maxQueueSize);
  }

  private void parameter(Field field, Map<String, String> parameters) {
    PbtxtMessage entry = message(field);
    String key = null;
    String value = null;
    for (Field f : entry.fields()) {
      if (f.name().equals("key")) {
        key = string(f);
      } else if (f.name().equals("value")) {
        for (Field v : message(f).fields()) {
          if (v.name().equals("string_value")) {
            value = string(v);
          }
        }
      }
    }
    if (key == null || value == null) {
      throw ModelConfigException.at(
          source, field.line(), "parameters entry needs 'key' and 'value { string_value: ... }'");
    }
    if (parameters.put(key, value) != null) {
      throw ModelConfigException.at(source, field.line(), "parameter '" + key + "' given twice");
    }
  }

  private TimeoutAction timeoutAction(Field field) {
    String value = word(field);
    try {
      return TimeoutAction.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw error(field, "timeout_action must be REJECT or DELAY, got '" + value + "'");
    }
  }

  private Field once(Field field, Set<String> seen) {
    if (!seen.add(field.name())) {
      throw error(field, "'" + field.name() + "' given more than once");
    }
    return field;
  }

  private PbtxtMessage message(Field field) {
    if (field.message() == null) {
      throw error(field, "'" + field.name() + "' must be a message { ... }");
    }
    return field.message();
  }

  private String string(Field field) {
    if (field.scalar() == null || !field.scalar().quoted()) {
      throw error(field, "'" + field.name() + "' must be a quoted string");
    }
    return field.scalar().text();
  }

  private String word(Field field) {
    if (field.scalar() == null || field.scalar().quoted()) {
      throw error(field, "'" + field.name() + "' must be an unquoted name");
    }
    return field.scalar().text();
  }

  private long integer(Field field, long min, long max) {
    String text = word(field);
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw error(field, "'" + field.name() + "' must be an integer, got '" + text + "'");
    }
    if (value < min || value > max) {
      throw error(field, "'" + field.name() + "' out of range: " + value);
    }
    return value;
  }

  private boolean bool(Field field) {
    String text = word(field);
    return switch (text) {
      case "true", "True", "t", "1" -> true;
      case "false", "False", "f", "0" -> false;
      default ->
          throw error(field, "'" + field.name() + "' must be true or false, got '" + text + "'");
    };
  }

  private ModelConfigException error(Field field, String message) {
    return ModelConfigException.at(source, field.line(), message);
  }

  private static long[] toArray(List<Long> values) {
    long[] out = new long[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
