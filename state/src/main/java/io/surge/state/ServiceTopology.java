package io.surge.state;

import io.surge.state.catalog.Catalog;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One service of the catalog flattened into arrays for the decision path: its variants in catalog
 * order (increasing accuracy; the action index of a variant is its index here) and which servers
 * host each. Servers are indexed in the catalog's global order, so one health bitmask (bit {@code
 * s} = server {@code s} healthy) serves every service; at most 64 servers.
 *
 * <p>The one mapping between these indexes and catalog names: the scheduler turns its action and
 * server indexes into the names a dispatch carries, and the call paths turn the names back into
 * catalog variants through {@link #byService}.
 */
public final class ServiceTopology {

  public static final int MAX_SERVERS = 64;

  private final String service;
  private final int deadlineMs;
  private final Catalog.Variant[] variants;
  private final String[] serverNames;
  private final long[] hostMask;

  private ServiceTopology(
      String service,
      int deadlineMs,
      Catalog.Variant[] variants,
      String[] serverNames,
      long[] hostMask) {
    this.service = service;
    this.deadlineMs = deadlineMs;
    this.variants = variants;
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
    Catalog.Variant[] variants = svc.variants().toArray(Catalog.Variant[]::new);
    long[] hosts = new long[variants.length];
    for (int i = 0; i < variants.length; i++) {
      Catalog.Variant variant = variants[i];
      for (int s = 0; s < servers.size(); s++) {
        if (servers.get(s).models().contains(variant.model())) {
          hosts[i] |= 1L << s;
        }
      }
    }
    String[] serverNames = servers.stream().map(Catalog.Server::name).toArray(String[]::new);
    return new ServiceTopology(svc.name(), svc.deadlineMs(), variants, serverNames, hosts);
  }

  /**
   * The topology of every service of the catalog, by service name: how a dispatch's service and
   * variant names are turned back into the catalog's variant (its input spec) on the call path.
   */
  public static Map<String, ServiceTopology> byService(Catalog catalog) {
    Map<String, ServiceTopology> out = new HashMap<>();
    for (Catalog.Service svc : catalog.services()) {
      out.put(svc.name(), of(catalog, svc.name()));
    }
    return Map.copyOf(out);
  }

  public String service() {
    return service;
  }

  /** The service's default latency SLO. */
  public int deadlineMs() {
    return deadlineMs;
  }

  public int variantCount() {
    return variants.length;
  }

  /** Variants + shed; shed is the last action. */
  public int actionCount() {
    return variants.length + 1;
  }

  public int shedAction() {
    return variants.length;
  }

  public int serverCount() {
    return serverNames.length;
  }

  /** The catalog's variant of a name, or null when the service has none of that name. */
  public Catalog.Variant variant(String name) {
    int v = variantIndex(name);
    return v < 0 ? null : variants[v];
  }

  public String variantName(int variant) {
    return variants[variant].name();
  }

  public String variantModel(int variant) {
    return variants[variant].model();
  }

  public double accuracy(int variant) {
    return variants[variant].accuracy();
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
    for (int v = 0; v < variants.length; v++) {
      if (variants[v].name().equals(name)) {
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
    return Arrays.stream(variants).map(Catalog.Variant::name).toList();
  }

  /** Health mask with every server of the catalog healthy. */
  public long allServersHealthy() {
    return serverNames.length == 64 ? -1L : (1L << serverNames.length) - 1;
  }
}
