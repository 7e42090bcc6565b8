package dev.souq.order.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.souq.devstack.Ports;
import dev.souq.shared.redis.HashSlot;
import dev.souq.shared.redis.RedisPipelines;
import dev.souq.shared.redis.RedisTopology;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import dev.souq.testing.redis.RedisBinary;
import dev.souq.testing.redis.RedisProcess;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

  /**
   * More requests than the client takes at once (its waiting queue, 2,048) go in parts: as one
   * pipeline they failed with "Redis waiting queue is full". The replies and each slot's order are
   * kept across the parts.
   */
  @ParameterizedTest(name = "cluster {0}")
  @ValueSource(booleans = {false, true})
  void moreRequestsThanOnePipelineTakesGoInPartsAndInOrder(boolean cluster) {
    RedisPipelines pipelines =
        new RedisPipelines(
            Redis.createClient(vertx, TestStack.get().redisUrl()), RedisTopology.of(cluster));
    int n = 2 * RedisPipelines.MAX_COMMANDS + 500;
    List<String> keys = new ArrayList<>(n);
    List<Request> requests = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean push = i % 2 == 0;
      keys.add(push ? LIST : VALUE);
      requests.add(
          push
              ? Request.cmd(Command.RPUSH).arg(LIST).arg(i)
              : Request.cmd(Command.INCR).arg(VALUE));
    }
    List<Response> replies = pipelines.send(keys, requests).await().atMost(Duration.ofSeconds(10));

    assertEquals(n, replies.size());
    for (int i = 0; i < n; i++) {
      // The list's length after the i-th push, or the counter after the i-th increment.
      assertEquals(i / 2 + 1, replies.get(i).toLong(), "reply " + i);
    }
    List<String> pushed = RedisCommand.list(TestStack.get().redisUrl(), "LRANGE", LIST, "0", "-1");
    assertEquals(n / 2, pushed.size());
    for (int i = 0; i < pushed.size(); i++) {
      assertEquals(Integer.toString(2 * i), pushed.get(i), "the list in the order of the requests");
    }
  }

  @Test
  void eachPipelineWaitsForTheReplicasAndTheCallerLearnsHowManyTookIt() throws Exception {
    Path binary = RedisBinary.find(Path.of("target", "redis-bin")).orElse(null);
    assumeTrue(binary != null, "no redis-server binary to start a primary and its replica");
    Path dir = Path.of("target", "redis-wait");
    try (RedisProcess primary =
            RedisProcess.start(binary, dir.resolve("primary"), Ports.free(), false, List.of());
        RedisProcess replica =
            RedisProcess.start(
                binary,
                dir.resolve("replica"),
                Ports.free(),
                false,
                List.of("replicaof 127.0.0.1 " + primary.port()))) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  ((String) RedisCommand.call(replica.url(), "INFO", "replication"))
                      .contains("master_link_status:up"));
      RedisPipelines pipelines =
          new RedisPipelines(Redis.createClient(vertx, primary.url()), RedisTopology.of(true));
      List<String> keys = List.of(LIST, VALUE);
      List<Request> writes =
          List.of(
              Request.cmd(Command.RPUSH).arg(LIST).arg("first"),
              Request.cmd(Command.SET).arg(VALUE).arg("v"));

      RedisPipelines.Sent one =
          pipelines
              .sendAndWait(keys, writes, 1, Duration.ofSeconds(5))
              .await()
              .atMost(Duration.ofSeconds(10));
      assertEquals(1, one.replicas(), "both slots' pipelines reached the replica");
      assertEquals(1L, one.replies().get(0).toLong());
      assertEquals("OK", one.replies().get(1).toString());
      assertEquals("v", RedisCommand.call(replica.url(), "GET", VALUE).toString());

      RedisPipelines.Sent two =
          pipelines
              .sendAndWait(keys, writes, 2, Duration.ofMillis(100))
              .await()
              .atMost(Duration.ofSeconds(10));
      assertEquals(1, two.replicas(), "there is one replica to take it, not two");
      assertEquals(2L, two.replies().get(0).toLong());
    }
  }

  @Test
  void aRedisWithoutReplicasAnswersTheWaitWithNone() {
    RedisPipelines pipelines =
        new RedisPipelines(
            Redis.createClient(vertx, TestStack.get().redisUrl()), RedisTopology.of(false));
    RedisPipelines.Sent sent =
        pipelines
            .sendAndWait(
                List.of(LIST),
                List.of(Request.cmd(Command.RPUSH).arg(LIST).arg("only")),
                1,
                Duration.ofMillis(50))
            .await()
            .atMost(Duration.ofSeconds(10));
    assertEquals(0, sent.replicas());
    assertEquals(1L, sent.replies().get(0).toLong());
  }
}
