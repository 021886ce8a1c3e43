package io.surge.state;

import io.surge.state.catalog.Catalog;
import java.util.List;

/**
 * One service of the catalog flattened into arrays for the decision path: its variants in catalog
 * order (increasing accuracy; the action index of a variant is its index here) and which servers
 * host each. Servers are indexed in the catalog's global order, so one health bitmask (bit {@code
 * s} = server {@code s} healthy) serves every service; at most 64 servers.
 */
public final class ServiceTopology {

  public static final int MAX_SERVERS = 64;

  private final String service;
  private final int deadlineMs;
  private final String[] variantNames;
  private final String[] variantModels;
  private final double[] accuracy;
  private final String[] serverNames;
  private final long[] hostMask;

  private ServiceTopology(
      String service,
      int deadlineMs,
      String[] variantNames,
      String[] variantModels,
      double[] accuracy,
      String[] serverNames,
      long[] hostMask) {
    this.service = service;
    this.deadlineMs = deadlineMs;
    this.variantNames = variantNames;
    this.variantModels = variantModels;
    this.accuracy = accuracy;
    this.serverNames = serverNames;
    this.hostMask = hostMask;
  }

  /**
   * @throws IllegalArgumentException when the service is unknown or the catalog has too many
   *     servers
   */
  public static ServiceTopology of(Catalog catalog, String serviceName) {
    Catalog.Service svc = catalog.service(serviceName);
    if (svc == null) {
      throw new IllegalArgumentException("service '" + serviceName + "' is not in the catalog");
    }
    List<Catalog.Server> servers = catalog.servers();
    if (servers.size() > MAX_SERVERS) {
      throw new IllegalArgumentException(
          "at most " + MAX_SERVERS + " servers are supported, catalog has " + servers.size());
    }
    int v = svc.variants().size();
    String[] names = new String[v];
    String[] models = new String[v];
    double[] acc = new double[v];
    long[] hosts = new long[v];
    for (int i = 0; i < v; i++) {
      Catalog.Variant variant = svc.variants().get(i);
      names[i] = variant.name();
      models[i] = variant.model();
      acc[i] = variant.accuracy();
      for (int s = 0; s < servers.size(); s++) {
        if (servers.get(s).models().contains(variant.model())) {
          hosts[i] |= 1L << s;
        }
      }
    }
    String[] serverNames = servers.stream().map(Catalog.Server::name).toArray(String[]::new);
    return new ServiceTopology(
        svc.name(), svc.deadlineMs(), names, models, acc, serverNames, hosts);
  }

  public String service() {
    return service;
  }

  /** The service's default latency SLO. */
  public int deadlineMs() {
    return deadlineMs;
  }

  public int variantCount() {
    return variantNames.length;
  }

  /** Variants + shed; shed is the last action. */
  public int actionCount() {
    return variantNames.length + 1;
  }

  public int shedAction() {
    return variantNames.length;
  }

  public int serverCount() {
    return serverNames.length;
  }

  public String variantName(int variant) {
    return variantNames[variant];
  }

  public String variantModel(int variant) {
    return variantModels[variant];
  }

  public double accuracy(int variant) {
    return accuracy[variant];
  }

  public String serverName(int server) {
    return serverNames[server];
  }

  /** Index of a server by name, or -1. */
  public int serverIndex(String name) {
    for (int s = 0; s < serverNames.length; s++) {
      if (serverNames[s].equals(name)) {
        return s;
      }
    }
    return -1;
  }

  /** Index of a variant by name, or -1. */
  public int variantIndex(String name) {
    for (int v = 0; v < variantNames.length; v++) {
      if (variantNames[v].equals(name)) {
        return v;
      }
    }
    return -1;
  }

  /** Bitmask of the servers hosting a variant. */
  public long hostMask(int variant) {
    return hostMask[variant];
  }

  public boolean hosts(int server, int variant) {
    return (hostMask[variant] & (1L << server)) != 0;
  }

  /** Variant names in action order (the policy metadata's {@code surge.actions}). */
  public List<String> actionNames() {
    return List.of(variantNames);
  }

  /** Health mask with every server of the catalog healthy. */
  public long allServersHealthy() {
    return serverNames.length == 64 ? -1L : (1L << serverNames.length) - 1;
  }
}
