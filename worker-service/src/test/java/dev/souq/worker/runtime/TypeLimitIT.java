package dev.souq.worker.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import dev.souq.worker.handlers.EchoHandler;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Limits per job type on packaged workers, set by env var as a deployer would. Three workers with a
 * limit of 2 echo jobs in flight across all of them and room for 64 each: the echo handler itself
 * records, as each run starts, how many runs of its batch are running; that never exceeds 2,
 * reaches 2, and every job runs once.
 */
class TypeLimitIT {
  private static final int JOBS = 40;

  private final WorkerProcesses workers = new WorkerProcesses();

  @AfterEach
  void stop() throws InterruptedException {
    workers.stopAll();
  }

  @Test
  void aLimitOfTwoHoldsAcrossThreeReplicas() throws Exception {
    String run = "limit-" + UUID.randomUUID();
    String prefix = run.substring(0, 14);
    workers.startAll(
        List.of(prefix + "-a", prefix + "-b", prefix + "-c"),
        Map.of(
            "WORKER_LIMITS_ECHO", "2",
            "WORKER_SCHEDULES_CANCEL_UNPAID_ORDERS_ENABLED", "false",
            "WORKER_SCHEDULES_PURGE_DEAD_LETTERS_ENABLED", "false"));
    WorkerProcesses.push(WorkerProcesses.echoJobs(JOBS, run, 100));

    String echoes = EchoHandler.key(run);
    await().atMost(Duration.ofSeconds(60)).until(() -> WorkerProcesses.length(echoes) == JOBS);
    assertEquals(JOBS, new HashSet<>(WorkerProcesses.list(echoes)).size(), "a job ran twice");
    List<Long> overlap =
        WorkerProcesses.list(echoes + ":overlap").stream().map(Long::parseLong).toList();
    assertEquals(JOBS, overlap.size());
    assertEquals(
        2L, overlap.stream().mapToLong(Long::longValue).max().orElse(0), overlap.toString());
    // Every slot was given back.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                RedisCommand.call(TestStack.get().redisUrl(), "HGET", "tasks:inflight", "echo")
                    == null);
    assertEquals(0L, WorkerProcesses.length("tasks:held:echo"));
  }

  /**
   * An env var sets the limit of a type whose name has underscores, as the README's table offers:
   * one that application.properties also sets (process_payment) and one it does not
   * (release_stock). SmallRye Config hands the latter over as release.stock; a worker that took it
   * as a type of that name refused to start.
   */
  @Test
  void envVarsSetTheLimitsAndRatesOfTypesWithUnderscores() throws Exception {
    var worker =
        workers.start(
            "limit-env-" + UUID.randomUUID().toString().substring(0, 8),
            Map.of(
                "WORKER_LIMITS_PROCESS_PAYMENT", "3",
                "WORKER_LIMITS_RELEASE_STOCK", "2",
                "WORKER_RATES_SEND_ORDER_CONFIRMATION", "7",
                "WORKER_SCHEDULES_CANCEL_UNPAID_ORDERS_ENABLED", "false",
                "WORKER_SCHEDULES_PURGE_DEAD_LETTERS_ENABLED", "false"));
    String logged = worker.logged();
    assertTrue(
        logged.contains(
            "limited to so many in flight: {process_payment=3, release_stock=2};"
                + " paced to so many a second: {send_order_confirmation=7}"),
        logged);
  }
}
