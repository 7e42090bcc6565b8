package dev.souq.e2e;

import static org.awaitility.Awaitility.await;

import dev.souq.testing.redis.LocalRedisSentinel;
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
 * The whole shop on a Sentinel-managed Redis (a primary, a replica, three sentinels), every service
 * given only {@code REDIS_SENTINELS} and {@code REDIS_MASTER_NAME}: each finds the primary through
 * the sentinels.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisSentinelIT {
  private static LocalRedisSentinel sentinel;
  private static SouqSystem system;

  @BeforeAll
  static void startTheShopBehindSentinels() throws Exception {
    sentinel =
        LocalRedisSentinel.start(TopologyShop.redisServer(), Path.of("target/redis-sentinel"));
    system = SouqSystem.start("logs-sentinel", TopologyShop.settings(sentinel.env()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (system != null) {
      system.close();
    }
    if (sentinel != null) {
      sentinel.close();
    }
  }

  @Test
  @Order(1)
  void aShopperSeesTheirOrderPaidAndShippedLiveBehindSentinels() throws Exception {
    TopologyShop.shopperSeesEveryStatusOnce(system);
    TopologyShop.aSessionGoneUnannouncedClosesItsConnection(
        system, key -> sentinel.primary().url());
    TopologyShop.noRedisRefusals(system);
  }

  @Test
  @Order(2)
  void thePrimaryKilledUnderLoadLosesNoOrderNorJob() throws Exception {
    TopologyShop.survivesAPrimaryKilled(
        system,
        () -> {
          RedisProcess primary = sentinel.primary();
          primary.kill();
          await("the sentinels promote the replica")
              .atMost(Duration.ofSeconds(30))
              .ignoreExceptions()
              .until(() -> sentinel.primaryPort() != primary.port());
        });
  }
}
