package dev.souq.order.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.souq.shared.redis.HashSlot;
import dev.souq.shared.redis.RedisPipelines;
import dev.souq.shared.redis.RedisTopology;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pipelines split per hash slot, as on a Cluster, against a real Redis (which takes them all): the
 * caller gets every reply in the order of its requests, and each slot's commands ran in order.
 */
class RedisPipelinesTest {
  private static final String LIST = "{test-pipelines-a}:list";
  private static final String VALUE = "{test-pipelines-b}:value";

  private Vertx vertx;

  @BeforeEach
  void clean() {
    vertx = Vertx.vertx();
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", LIST, VALUE);
  }

  @AfterEach
  void close() {
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", LIST, VALUE);
    vertx.closeAndAwait();
  }

  @Test
  void splitPerSlotTheRepliesComeBackInTheOrderOfTheRequests() {
    assertNotEquals(HashSlot.of(LIST), HashSlot.of(VALUE), "two slots, two pipelines");
    RedisPipelines pipelines =
        new RedisPipelines(
            Redis.createClient(vertx, TestStack.get().redisUrl()), RedisTopology.of(true));
    List<Response> replies =
        pipelines
            .send(
                List.of(LIST, VALUE, LIST, VALUE, LIST),
                List.of(
                    Request.cmd(Command.RPUSH).arg(LIST).arg("first"),
                    Request.cmd(Command.SET).arg(VALUE).arg("v"),
                    Request.cmd(Command.RPUSH).arg(LIST).arg("second"),
                    Request.cmd(Command.GET).arg(VALUE),
                    Request.cmd(Command.LRANGE).arg(LIST).arg("0").arg("-1")))
            .await()
            .atMost(Duration.ofSeconds(10));
    assertEquals(1L, replies.get(0).toLong());
    assertEquals("OK", replies.get(1).toString());
    assertEquals(2L, replies.get(2).toLong());
    assertEquals("v", replies.get(3).toString());
    assertEquals("[first, second]", replies.get(4).toString());
  }
}
