package dev.souq.order.ratelimit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.devstack.Ports;
import dev.souq.shared.ratelimit.GcraBatcher;
import dev.souq.shared.ratelimit.RateCheck;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.TcpProxy;
import dev.souq.testing.TestStack;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The batched GCRA against a real Redis: batches decide exactly what one-by-one checks would. */
class GcraBatcherTest {
  private static final int LIMIT = 5; // one refill per 12 s: a test run sees at most a few
  private final List<Vertx> vertxes = new ArrayList<>();

  @AfterEach
  void close() {
    vertxes.forEach(Vertx::close);
  }

  @Test
  void twoReplicasSpendOneBudgetAndEachAdmittedRequestLearnsItsOwnRemaining() {
    String key = "{rate_limit}:test-shared";
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", key);
    long start = System.nanoTime();
    List<Check> checks = new ArrayList<>();
    // Two "replicas": two Vert.x instances, each with its own Redis client and batcher.
    for (int replica = 0; replica < 2; replica++) {
      Replica r = replica(Duration.ofSeconds(5), TestStack.get().redisUrl());
      List<Check> mine = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        mine.add(new Check(key));
      }
      checks.addAll(mine);
      r.submit(mine);
    }
    await().until(() -> checks.stream().allMatch(Check::settled));
    assertTrue(checks.stream().allMatch(Check::settledOnce), "a check was told twice");
    long refills = (System.nanoTime() - start) / 12_000_000_000L;
    List<Check> admitted = checks.stream().filter(c -> "admitted".equals(c.outcome)).toList();
    assertTrue(
        admitted.size() >= LIMIT && admitted.size() <= LIMIT + refills,
        "admitted " + admitted.size());
    // Positions 4, 3, 2, 1, 0 each went to one request, as if they had come one by one.
    Set<Long> remaining = admitted.stream().map(c -> c.remaining).collect(Collectors.toSet());
    assertTrue(remaining.containsAll(Set.of(0L, 1L, 2L, 3L, 4L)), "remaining " + remaining);
    for (Check c : checks) {
      if ("refused".equals(c.outcome)) {
        assertTrue(c.retryMs > 0 && c.retryMs <= 12_000, "retry " + c.retryMs);
        assertTrue(c.resetMs > 48_000 && c.resetMs <= 60_000, "reset " + c.resetMs);
      } else {
        assertEquals("admitted", c.outcome);
      }
    }
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", key);
  }

  @Test
  void clientsInOneBatchEachGetTheirOwnBudgetInArrivalOrder() {
    String a = "{rate_limit}:test-a";
    String b = "{rate_limit}:test-b";
    String c = "{rate_limit}:test-c";
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", a, b, c);
    long start = System.nanoTime();
    List<Check> checks = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      checks.add(new Check(a));
      checks.add(new Check(b));
      if (i < 3) {
        checks.add(new Check(c));
      }
    }
    replica(Duration.ofSeconds(5), TestStack.get().redisUrl()).submit(checks);
    await().until(() -> checks.stream().allMatch(Check::settled));
    assertTrue(checks.stream().allMatch(Check::settledOnce), "a check was told twice");
    long refills = (System.nanoTime() - start) / 12_000_000_000L;
    for (String key : List.of(a, b)) {
      List<String> outcomes =
          checks.stream().filter(ch -> ch.key.equals(key)).map(ch -> ch.outcome).toList();
      // Submitted in one event-loop turn: one batch, so no refill can come between them.
      if (refills == 0) {
        assertEquals(
            List.of(
                "admitted",
                "admitted",
                "admitted",
                "admitted",
                "admitted",
                "refused",
                "refused",
                "refused"),
            outcomes,
            key);
      }
      assertEquals("admitted", outcomes.get(LIMIT - 1), key);
    }
    assertTrue(
        checks.stream()
            .filter(ch -> ch.key.equals(c))
            .allMatch(ch -> "admitted".equals(ch.outcome)),
        "c had a fresh budget");
    TreeSet<Long> cRemaining =
        checks.stream()
            .filter(ch -> ch.key.equals(c))
            .map(ch -> ch.remaining)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(Set.of(2L, 3L, 4L)), cRemaining);
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", a, b, c);
  }

  @Test
  void aBusyClientIsServedFromCellsGrantedAheadWithinOneSecondOfExactAcrossTwoReplicas() {
    int limit = 1200; // 20 a second: grants of up to 20 cells, one cell every 50 ms
    String key = "{rate_limit}:test-allowance";
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", key);
    long start = System.nanoTime();
    List<Client> clients = new ArrayList<>();
    for (int replica = 0; replica < 2; replica++) {
      clients.add(
          new Client(replica(limit, Duration.ofSeconds(5), TestStack.get().redisUrl()), key));
    }
    clients.forEach(Client::start);
    await().atMost(Duration.ofSeconds(60)).until(() -> clients.stream().allMatch(c -> c.finished));
    double elapsedMs = (System.nanoTime() - start) / 1e6;
    int admitted = clients.stream().mapToInt(c -> c.admitted).sum();
    int admittedHere = clients.stream().mapToInt(c -> c.admittedLocally).sum();
    // Exact GCRA admits at most the burst plus a cell per 50 ms; a cell spent locally was granted
    // at most a second before, so the bound is one second (20 cells) more, for any replica count.
    assertTrue(admitted <= limit + (elapsedMs + 1000) / 50 + 1, "admitted " + admitted);
    // Cells are lost only if a replica still holds some when it stops asking.
    assertTrue(admitted >= limit - 2 * 19, "admitted " + admitted);
    assertTrue(admittedHere > admitted / 2, "admitted without Redis " + admittedHere);
    // Once refused, a client is refused from the cached verdict until its Retry-After is over.
    assertTrue(clients.stream().allMatch(c -> c.refusedLocally > 0), "no refusal from the cache");
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", key);
  }

  @Test
  void redisDownSettlesEveryCheckAsUnavailable() throws Exception {
    int closedPort = Ports.free();
    List<Check> checks = List.of(new Check("{rate_limit}:x"), new Check("{rate_limit}:y"));
    replica(Duration.ofSeconds(5), "redis://127.0.0.1:" + closedPort).submit(checks);
    await().until(() -> checks.stream().allMatch(Check::settled));
    assertTrue(checks.stream().allMatch(Check::settledOnce), "a check was told twice");
    checks.forEach(ch -> assertEquals("unavailable", ch.outcome));
  }

  @Test
  void aRedisThatNeverAnswersSettlesTheBatchAndTheQueueBehindItAsUnavailable() throws Exception {
    // A server that accepts and never answers, as Redis behind a lost route.
    try (TcpProxy silent = new TcpProxy("127.0.0.1", 1)) {
      silent.stall();
      Replica r = replica(Duration.ofMillis(200), "redis://127.0.0.1:" + silent.port());
      List<Check> first = List.of(new Check("{rate_limit}:x"));
      List<Check> behind = List.of(new Check("{rate_limit}:x"), new Check("{rate_limit}:z"));
      r.submitThenBehind(first, behind);
      await().until(() -> first.get(0).settled() && behind.stream().allMatch(Check::settled));
      assertEquals("unavailable", first.get(0).outcome);
      behind.forEach(ch -> assertEquals("unavailable", ch.outcome));
    }
  }

  private Replica replica(Duration timeout, String redisUrl) {
    return replica(LIMIT, timeout, redisUrl);
  }

  private Replica replica(int limit, Duration timeout, String redisUrl) {
    Vertx vertx = Vertx.vertx();
    vertxes.add(vertx);
    Context context = vertx.getOrCreateContext();
    GcraBatcher batcher =
        new GcraBatcher(Redis.createClient(vertx, redisUrl), context, limit, timeout);
    return new Replica(context, batcher);
  }

  /**
   * One client's requests to one replica, one after the other: each is submitted on the replica's
   * event loop once the one before it has its answer. Counts the answers given during {@code
   * submit} itself, i.e. without a Redis call. Its fields are touched only on that event loop.
   */
  private static final class Client implements RateCheck {
    private static final int ATTEMPTS = 1500;
    private final Replica replica;
    private final String key;
    private int answered;
    private boolean inSubmit;
    int admitted;
    int admittedLocally;
    int refusedLocally;
    volatile boolean finished;

    Client(Replica replica, String key) {
      this.replica = replica;
      this.key = key;
    }

    void start() {
      replica.context().runOnContext(v -> next());
    }

    private void next() {
      if (answered == ATTEMPTS) {
        finished = true;
        return;
      }
      inSubmit = true;
      replica.batcher().submit(this);
      inSubmit = false;
    }

    @Override
    public String key() {
      return key;
    }

    @Override
    public void admitted(long remaining, long resetMs) {
      admitted++;
      admittedLocally += inSubmit ? 1 : 0;
      answeredOne();
    }

    @Override
    public void refused(long retryMs, long resetMs) {
      refusedLocally += inSubmit ? 1 : 0;
      answeredOne();
    }

    @Override
    public void unavailable(Throwable failure) {
      answeredOne();
    }

    private void answeredOne() {
      answered++;
      replica.context().runOnContext(v -> next());
    }
  }

  private record Replica(Context context, GcraBatcher batcher) {
    /** Submits the checks in one turn of the batcher's event loop. */
    void submit(List<Check> checks) {
      context.runOnContext(v -> checks.forEach(batcher::submit));
    }

    /** Submits {@code first}; {@code behind} arrives once first's batch is on the wire. */
    void submitThenBehind(List<Check> first, List<Check> behind) {
      context.runOnContext(
          v -> {
            first.forEach(batcher::submit); // schedules its flush for the end of this turn
            context.runOnContext(after -> behind.forEach(batcher::submit));
          });
    }
  }

  private static final class Check implements RateCheck {
    final String key;
    final AtomicInteger told = new AtomicInteger();
    volatile String outcome;
    volatile long remaining = -1;
    volatile long retryMs = -1;
    volatile long resetMs = -1;

    Check(String key) {
      this.key = key;
    }

    boolean settled() {
      return outcome != null;
    }

    /** Settled, and exactly once. */
    boolean settledOnce() {
      return outcome != null && told.get() == 1;
    }

    @Override
    public String key() {
      return key;
    }

    @Override
    public void admitted(long remaining, long resetMs) {
      this.remaining = remaining;
      this.resetMs = resetMs;
      settle("admitted");
    }

    @Override
    public void refused(long retryMs, long resetMs) {
      this.retryMs = retryMs;
      this.resetMs = resetMs;
      settle("refused");
    }

    @Override
    public void unavailable(Throwable failure) {
      settle("unavailable");
    }

    private void settle(String verdict) {
      told.incrementAndGet();
      outcome = verdict;
    }
  }
}
