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
 * A Sentinel-managed Redis as processes on loopback: one primary, one replica and three sentinels
 * that monitor the primary as {@link #MASTER} (quorum 2), quick to call it down (1 s).
 */
public final class LocalRedisSentinel implements AutoCloseable {
  /** The name the sentinels know the primary by. */
  public static final String MASTER = "souq";

  private final List<RedisProcess> data = new ArrayList<>();
  private final List<RedisProcess> sentinels = new ArrayList<>();

  private LocalRedisSentinel() {}

  /** Starts the five processes from {@code binary} with their files under {@code dir}; ready. */
  public static LocalRedisSentinel start(Path binary, Path dir) {
    LocalRedisSentinel topology = new LocalRedisSentinel();
    try {
      List<String> data = List.of("maxmemory-policy noeviction");
      RedisProcess primary = topology.startData(binary, dir, data);
      List<String> replica = new ArrayList<>(data);
      replica.add("replicaof 127.0.0.1 " + primary.port());
      topology.startData(binary, dir, replica);
      for (int i = 0; i < 3; i++) {
        int port = Ports.free();
        topology.sentinels.add(
            RedisProcess.start(
                binary,
                dir.resolve("sentinel-" + port),
                port,
                true,
                List.of(
                    "sentinel monitor " + MASTER + " 127.0.0.1 " + primary.port() + " 2",
                    "sentinel down-after-milliseconds " + MASTER + " 1000",
                    "sentinel failover-timeout " + MASTER + " 10000")));
      }
      topology.awaitFormed();
      return topology;
    } catch (RuntimeException | Error e) {
      topology.close();
      throw e;
    }
  }

  private RedisProcess startData(Path binary, Path dir, List<String> settings) {
    int port = Ports.free();
    RedisProcess node =
        RedisProcess.start(binary, dir.resolve("redis-" + port), port, false, settings);
    data.add(node);
    return node;
  }

  private void awaitFormed() {
    Awaitility.await("the replica in sync, every sentinel seeing it and the other two")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(
            () ->
                ((String) RedisCommand.call(data.get(1).url(), "INFO", "replication"))
                        .contains("master_link_status:up")
                    && sentinels.stream().allMatch(LocalRedisSentinel::seesEverything));
  }

  private static boolean seesEverything(RedisProcess sentinel) {
    String info = (String) RedisCommand.call(sentinel.url(), "INFO", "sentinel");
    return info.contains("name=" + MASTER + ",status=ok") && info.contains(",slaves=1,sentinels=3");
  }

  /** The sentinels' addresses, in the form of {@code REDIS_SENTINELS}. */
  public String sentinelAddresses() {
    return sentinels.stream()
        .map(node -> "127.0.0.1:" + node.port())
        .collect(Collectors.joining(","));
  }

  /** What a service needs to use this Redis. */
  public Map<String, String> env() {
    return Map.of("REDIS_SENTINELS", sentinelAddresses(), "REDIS_MASTER_NAME", MASTER);
  }

  /** The primary the topology started with. */
  public RedisProcess primary() {
    return data.get(0);
  }

  /** The port of the primary, as the first live sentinel says now. */
  public int primaryPort() {
    RedisProcess sentinel =
        sentinels.stream().filter(RedisProcess::alive).findFirst().orElseThrow();
    List<String> address =
        RedisCommand.list(sentinel.url(), "SENTINEL", "get-master-addr-by-name", MASTER);
    return Integer.parseInt(address.get(1));
  }

  @Override
  public void close() {
    List<RedisProcess> all = new ArrayList<>(sentinels);
    all.addAll(data);
    for (RedisProcess node : all) {
      try {
        node.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
