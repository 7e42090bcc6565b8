package dev.souq.testing.redis;

import dev.souq.devstack.Ports;
import dev.souq.testing.RedisCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * A Redis Cluster of three primaries with one replica each, as six processes on loopback, built the
 * way {@code redis-cli --cluster create} builds one (ADDSLOTS, MEET, REPLICATE) but over plain
 * commands, so the embedded 6.2 binary, which comes without redis-cli, can run it too.
 */
public final class LocalRedisCluster implements AutoCloseable {
  private static final int PRIMARIES = 3;

  private final List<RedisProcess> nodes = new ArrayList<>();

  private LocalRedisCluster() {}

  /** Starts the six nodes from {@code binary} with their files under {@code dir}; ready to use. */
  public static LocalRedisCluster start(Path binary, Path dir) {
    LocalRedisCluster cluster = new LocalRedisCluster();
    try {
      for (int i = 0; i < PRIMARIES * 2; i++) {
        int port = Ports.freeWithClusterBus();
        cluster.nodes.add(
            RedisProcess.start(
                binary,
                dir.resolve(Integer.toString(port)),
                port,
                false,
                List.of(
                    "cluster-enabled yes",
                    "cluster-config-file nodes.conf",
                    "cluster-node-timeout 2000",
                    "maxmemory-policy noeviction")));
      }
      cluster.form();
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  private void form() {
    int per = 16384 / PRIMARIES;
    for (int p = 0; p < PRIMARIES; p++) {
      int from = p * per;
      int to = p == PRIMARIES - 1 ? 16383 : from + per - 1;
      List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      for (int slot = from; slot <= to; slot++) {
        command.add(Integer.toString(slot));
      }
      call(nodes.get(p), command.toArray(String[]::new));
    }
    for (RedisProcess node : nodes.subList(1, nodes.size())) {
      call(nodes.get(0), "CLUSTER", "MEET", "127.0.0.1", Integer.toString(node.port()));
    }
    Awaitility.await("every node knows the other five")
        .atMost(Duration.ofSeconds(30))
        .until(() -> nodes.stream().allMatch(node -> known(node) == nodes.size()));
    for (int r = 0; r < PRIMARIES; r++) {
      String primary = (String) call(nodes.get(r), "CLUSTER", "MYID");
      call(nodes.get(PRIMARIES + r), "CLUSTER", "REPLICATE", primary);
    }
    Awaitility.await("the cluster is ok on every node, each replica in sync")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () ->
                nodes.stream()
                        .allMatch(n -> info(n, "CLUSTER", "INFO").contains("cluster_state:ok"))
                    && nodes.subList(PRIMARIES, nodes.size()).stream()
                        .allMatch(
                            n -> info(n, "INFO", "replication").contains("master_link_status:up")));
  }

  private static long known(RedisProcess node) {
    return info(node, "CLUSTER", "NODES")
        .lines()
        .filter(line -> !line.contains("handshake") && !line.contains("noaddr"))
        .count();
  }

  private static String info(RedisProcess node, String... command) {
    return (String) call(node, command);
  }

  private static Object call(RedisProcess node, String... command) {
    return RedisCommand.call(node.url(), command);
  }

  /**
   * Every node, the primaries first: seeds for a client, in the form of {@code
   * REDIS_CLUSTER_NODES}.
   */
  public String seeds() {
    return nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
  }

  /** What a service needs to use this cluster. */
  public Map<String, String> env() {
    return Map.of("REDIS_CLUSTER_NODES", seeds());
  }

  /** The primary that serves {@code key} now, as a live node's view of the cluster says. */
  public RedisProcess primaryOf(String key) {
    RedisProcess live = nodes.stream().filter(RedisProcess::alive).findFirst().orElseThrow();
    long slot = (Long) call(live, "CLUSTER", "KEYSLOT", key);
    for (String line : info(live, "CLUSTER", "NODES").lines().toList()) {
      String[] fields = line.split(" ");
      if (!fields[2].contains("master") || fields[2].contains("fail")) {
        continue;
      }
      int port = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1).split("@")[0]);
      for (int i = 8; i < fields.length; i++) {
        String[] range = fields[i].split("-");
        if (!range[0].startsWith("[")
            && slot >= Long.parseLong(range[0])
            && slot <= Long.parseLong(range[range.length - 1])) {
          return nodes.stream().filter(node -> node.port() == port).findFirst().orElseThrow();
        }
      }
    }
    throw new IllegalStateException("No primary serves slot " + slot);
  }

  @Override
  public void close() {
    for (RedisProcess node : nodes) {
      try {
        node.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
