package dev.souq.e2e;

import static org.awaitility.Awaitility.await;

import dev.souq.testing.redis.LocalRedisCluster;
import dev.souq.testing.redis.RedisProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole shop on a Redis Cluster of three primaries with a replica each, every service given
 * only {@code REDIS_CLUSTER_NODES}: every script and pipeline keeps to one hash slot, pub/sub
 * reaches every replica of every service, the worker's keys are hash-tagged by themselves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {
  private static LocalRedisCluster cluster;
  private static SouqSystem system;

  @BeforeAll
  static void startTheShopOnACluster() throws Exception {
    cluster = LocalRedisCluster.start(TopologyShop.redisServer(), Path.of("target/redis-cluster"));
    system = SouqSystem.start("logs-cluster", TopologyShop.settings(cluster.env()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (system != null) {
      system.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void aShopperSeesTheirOrderPaidAndShippedLiveOnACluster() throws Exception {
    TopologyShop.shopperSeesEveryStatusOnce(system);
    TopologyShop.aSessionGoneUnannouncedClosesItsConnection(
        system, key -> cluster.primaryOf(key).url());
    TopologyShop.noRedisRefusals(system);
  }

  @Test
  @Order(2)
  void aPrimaryKilledUnderLoadLosesNoOrderNorJob() throws Exception {
    TopologyShop.survivesAPrimaryKilled(
        system,
        () -> {
          RedisProcess queue = cluster.primaryOf("tasks");
          queue.kill();
          await("a replica serves tasks")
              .atMost(Duration.ofSeconds(30))
              .ignoreExceptions()
              .until(() -> cluster.primaryOf("tasks") != queue);
        });
  }
}
