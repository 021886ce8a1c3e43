package io.surge.state.catalog;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The catalog (DESIGN.md section 6): services, their variant ladders with accuracies, and the
 * servers hosting them. It is the one source of variant accuracy for the scheduler, the simulator
 * and the reports. Written by {@code surge models generate}, edited by users, read as YAML.
 */
public record Catalog(List<Service> services, List<Server> servers) implements Serializable {

  private static final ObjectMapper YAML =
      new ObjectMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public Catalog {
    services = List.copyOf(services);
    servers = List.copyOf(servers);
    validate(services, servers);
  }

  /** A service, or null when the catalog has none of that name. */
  public Service service(String name) {
    for (Service s : services) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    return null;
  }

  /** The servers hosting a variant's model, in catalog order. */
  public List<Server> serversHosting(Variant variant) {
    List<Server> out = new ArrayList<>();
    for (Server server : servers) {
      if (server.models().contains(variant.model())) {
        out.add(server);
      }
    }
    return out;
  }

  public static Catalog load(Path file) {
    try {
      return YAML.readValue(file.toFile(), Catalog.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read catalog " + file + ": " + e.getMessage(), e);
    }
  }

  public static Catalog parse(String yaml) {
    try {
      return YAML.readValue(yaml, Catalog.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid catalog: " + e.getMessage(), e);
    }
  }

  public void write(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      YAML.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write catalog " + file, e);
    }
  }

  public String toYaml() {
    try {
      return YAML.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void validate(List<Service> services, List<Server> servers) {
    Set<String> names = new HashSet<>();
    Set<String> models = new HashSet<>();
    for (Service s : services) {
      if (!names.add(s.name())) {
        throw new IllegalArgumentException("service '" + s.name() + "' declared twice");
      }
      s.variants().forEach(v -> models.add(v.model()));
    }
    Set<String> serverNames = new HashSet<>();
    for (Server server : servers) {
      if (!serverNames.add(server.name())) {
        throw new IllegalArgumentException("server '" + server.name() + "' declared twice");
      }
      for (String m : server.models()) {
        if (!models.contains(m)) {
          throw new IllegalArgumentException(
              "server '" + server.name() + "' hosts '" + m + "', which no variant uses");
        }
      }
    }
  }

  /**
   * An inference service and its ladder of variants, ordered from the least to the most accurate.
   *
   * @param deadlineMs the default latency SLO of its requests
   */
  public record Service(String name, int deadlineMs, List<Variant> variants)
      implements Serializable {
    public Service {
      variants = List.copyOf(variants);
      if (variants.isEmpty()) {
        throw new IllegalArgumentException("service '" + name + "' has no variants");
      }
      if (deadlineMs <= 0) {
        throw new IllegalArgumentException("service '" + name + "' needs a positive deadline_ms");
      }
      for (int i = 1; i < variants.size(); i++) {
        if (variants.get(i).accuracy() < variants.get(i - 1).accuracy()) {
          throw new IllegalArgumentException(
              "service '" + name + "': variants must be ordered by increasing accuracy");
        }
      }
    }

    /** Index of a variant by name, or -1. */
    public int indexOf(String variantName) {
      for (int i = 0; i < variants.size(); i++) {
        if (variants.get(i).name().equals(variantName)) {
          return i;
        }
      }
      return -1;
    }

    /** Number of policy actions: one per variant plus shed (last). */
    @JsonIgnore
    public int actionCount() {
      return variants.size() + 1;
    }
  }

  /**
   * A model variant of a service.
   *
   * @param model the model name in the servers' repositories
   * @param accuracy profiled accuracy in percent (e.g. ImageNet top-1)
   */
  public record Variant(String name, String model, double accuracy, TensorSpec input, String output)
      implements Serializable {
    public Variant {
      if (model == null) {
        model = name;
      }
    }
  }

  /** Name, protocol datatype and per-request shape (without the batch dimension) of an input. */
  public record TensorSpec(String name, String datatype, List<Long> shape) implements Serializable {
    public TensorSpec {
      shape = List.copyOf(shape);
    }

    @JsonIgnore
    public long elementCount() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }
  }

  /** An inference server speaking KServe v2 over HTTP, and the models it hosts. */
  public record Server(String name, @JsonProperty("url") String url, List<String> models)
      implements Serializable {
    public Server {
      models = List.copyOf(models);
    }
  }
}
