package dev.souq.catalog.cache;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.shared.redis.RedisTopology;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.TcpProxy;
import dev.souq.testing.TestStack;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The cache-hit reads of one event loop against a real Redis: one MGET per turn, each its own. */
class BatchedGetsTest {
  private static final Pattern MGET_CALLS = Pattern.compile("cmdstat_mget:calls=(\\d+)");
  private final List<Vertx> vertxes = new ArrayList<>();

  @AfterEach
  void close() {
    vertxes.forEach(Vertx::close);
  }

  @Test
  void readsMadeInOneEventLoopTurnGoAsOneMgetAndEachGetsItsOwnValue() {
    String url = TestStack.get().redisUrl();
    RedisCommand.run(url, "SET", "test:batched:a", "alpha");
    RedisCommand.run(url, "SET", "test:batched:b", "beta");
    RedisCommand.run(url, "DEL", "test:batched:none");
    Vertx vertx = vertx();
    AtomicInteger failures = new AtomicInteger();
    BatchedGets gets =
        new BatchedGets(
            Redis.createClient(vertx, url),
            RedisTopology.of(false),
            Duration.ofSeconds(5),
            f -> failures.incrementAndGet());
    Context loop = vertx.getOrCreateContext();
    read(loop, gets, List.of("test:batched:a")); // opens the loop's connection
    long before = mgetCalls(url);

    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      keys.add(List.of("test:batched:a", "test:batched:b", "test:batched:none").get(i % 3));
    }
    Map<Integer, String> values = read(loop, gets, keys);

    for (int i = 0; i < keys.size(); i++) {
      String expected =
          Map.of("test:batched:a", "alpha", "test:batched:b", "beta").get(keys.get(i));
      assertEquals(expected == null ? "(null)" : expected, values.get(i), "reader " + i);
    }
    assertEquals(1, mgetCalls(url) - before, "MGET calls for 20 reads in one turn");
    assertEquals(0, failures.get());
    RedisCommand.run(url, "DEL", "test:batched:a", "test:batched:b");
  }

  @Test
  void aRedisThatNeverAnswersFailsTheTurnsReadersAtTheTimeoutAndTellsTheGateOnce()
      throws Exception {
    // A server that accepts and never answers, as Redis behind a lost route.
    try (TcpProxy silent = new TcpProxy("127.0.0.1", 1)) {
      silent.stall();
      Vertx vertx = vertx();
      AtomicInteger failures = new AtomicInteger();
      BatchedGets gets =
          new BatchedGets(
              Redis.createClient(vertx, "redis://127.0.0.1:" + silent.port()),
              RedisTopology.of(false),
              Duration.ofMillis(200),
              f -> failures.incrementAndGet());
      Map<Integer, String> values =
          read(vertx.getOrCreateContext(), gets, List.of("k1", "k2", "k3"));
      assertEquals(Map.of(0, "failed", 1, "failed", 2, "failed"), values);
      assertEquals(1, failures.get(), "the gate is told once per failed turn");
    }
  }

  @Test
  void afterAFailedTurnTheNextTurnReadsOnANewConnection() throws Exception {
    String url = TestStack.get().redisUrl();
    RedisCommand.run(url, "SET", "test:batched:a", "alpha");
    URI redis = URI.create(url);
    try (TcpProxy proxy = new TcpProxy(redis.getHost(), redis.getPort())) {
      Vertx vertx = vertx();
      String path = redis.getPath() == null ? "" : redis.getPath();
      BatchedGets gets =
          new BatchedGets(
              Redis.createClient(vertx, "redis://127.0.0.1:" + proxy.port() + path),
              RedisTopology.of(false),
              Duration.ofSeconds(2),
              f -> {});
      Context loop = vertx.getOrCreateContext();
      assertEquals(Map.of(0, "alpha"), read(loop, gets, List.of("test:batched:a")));
      proxy.cut();
      assertEquals(Map.of(0, "failed"), read(loop, gets, List.of("test:batched:a")));
      proxy.restore();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Map.of(0, "alpha").equals(read(loop, gets, List.of("test:batched:a"))));
    } finally {
      RedisCommand.run(url, "DEL", "test:batched:a");
    }
  }

  @Test
  void offAnEventLoopItStepsAside() {
    BatchedGets gets =
        new BatchedGets(
            Redis.createClient(vertx(), TestStack.get().redisUrl()),
            RedisTopology.of(false),
            Duration.ofSeconds(1),
            f -> {});
    assertEquals(null, gets.get("any"), "the caller reads the ordinary way");
  }

  @Test
  void onAClusterItStepsAsideOnTheEventLoopToo() throws Exception {
    Vertx vertx = vertx();
    BatchedGets gets =
        new BatchedGets(
            Redis.createClient(vertx, TestStack.get().redisUrl()),
            RedisTopology.of(true),
            Duration.ofSeconds(1),
            f -> {});
    CompletableFuture<Boolean> steppedAside = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> steppedAside.complete(gets.get("any") == null));
    assertTrue(steppedAside.get(5, TimeUnit.SECONDS), "no cross-slot MGET on a Cluster");
  }

  /** Reads the keys in one turn of the loop; each reader's value, "(null)" or "failed". */
  private static Map<Integer, String> read(Context loop, BatchedGets gets, List<String> keys) {
    Map<Integer, String> values = new ConcurrentHashMap<>();
    loop.runOnContext(
        v -> {
          for (int i = 0; i < keys.size(); i++) {
            int reader = i;
            gets.get(keys.get(i))
                .subscribe()
                .with(
                    value -> values.put(reader, value == null ? "(null)" : value),
                    failure -> values.put(reader, "failed"));
          }
        });
    await().atMost(Duration.ofSeconds(10)).until(() -> values.size() == keys.size());
    return values;
  }

  private static long mgetCalls(String url) {
    Matcher m = MGET_CALLS.matcher((String) RedisCommand.call(url, "INFO", "commandstats"));
    assertTrue(m.find(), "INFO commandstats lists MGET");
    return Long.parseLong(m.group(1));
  }

  private Vertx vertx() {
    Vertx vertx = Vertx.vertx();
    vertxes.add(vertx);
    return vertx;
  }
}
