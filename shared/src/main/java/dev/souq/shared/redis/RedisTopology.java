package dev.souq.shared.redis;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which kind of Redis the services talk to, as quarkus-redis-client was configured ({@code
 * quarkus.redis.client-type}, set from {@code REDIS_CLUSTER_NODES} and friends): code whose Redis
 * commands a Cluster would refuse asks it, and sends them per hash slot there.
 */
@ApplicationScoped
public class RedisTopology {
  private final boolean cluster;

  RedisTopology(
      @ConfigProperty(name = "quarkus.redis.client-type", defaultValue = "standalone")
          String clientType) {
    this.cluster = "cluster".equalsIgnoreCase(clientType.trim());
  }

  /**
   * The topology of a client of {@code client-type} {@code clientType} (another named client's).
   */
  public static RedisTopology ofClientType(String clientType) {
    return new RedisTopology(clientType);
  }

  /** A topology for code outside CDI. */
  public static RedisTopology of(boolean cluster) {
    return new RedisTopology(cluster ? "cluster" : "standalone");
  }

  /** True on a Redis Cluster: multi-key commands, scripts and pipelines must keep to one slot. */
  public boolean cluster() {
    return cluster;
  }
}
