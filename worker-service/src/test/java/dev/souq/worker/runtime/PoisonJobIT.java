package dev.souq.worker.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.devstack.ServiceProcess;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import dev.souq.worker.handlers.EchoHandler;
import dev.souq.worker.queue.Digests;
import dev.souq.worker.queue.Jobs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job that kills the JVM running it (test_halt, registered only with WORKER_TEST_HANDLERS),
 * against the packaged worker and real Redis: it is handed back after each death, and once its
 * workers have died worker.max-deliveries times it is a crashed_worker dead letter instead of a
 * third kill.
 */
class PoisonJobIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_DELIVERIES = 2;
  private final WorkerProcesses workers = new WorkerProcesses();

  @BeforeEach
  void emptyTheQueue() {
    RedisCommand.call(TestStack.get().redisUrl(), "DEL", "tasks", "tasks:delayed");
  }

  @AfterEach
  void stop() throws InterruptedException {
    workers.stopAll();
  }

  @Test
  void aJobThatHaltsItsWorkerIsDeadLetteredAfterMaxDeliveriesAndTheNextWorkerDrainsOn()
      throws Exception {
    String run = "poison-" + UUID.randomUUID();
    Map<String, String> settings =
        Map.of(
            "WORKER_TEST_HANDLERS", "true",
            "WORKER_MAX_DELIVERIES", Integer.toString(MAX_DELIVERIES),
            "WORKER_HEARTBEAT_TTL", "2s");
    String poison = Jobs.json(Jobs.task("test_halt", Map.of("run", run), null));
    String poisonId = JSON.readTree(poison).get("id").asText();
    // Slow enough to be in flight when the poison halts the first worker: they are handed back
    // with it once, then each runs alone, so the poison's next kill does not count them again.
    List<String> companions = WorkerProcesses.echoJobs(5, run, 1000);
    List<String> batch = new ArrayList<>(companions);
    batch.add(poison);
    WorkerProcesses.push(batch);

    for (int delivery = 1; delivery <= MAX_DELIVERIES; delivery++) {
      ServiceProcess doomed = workers.launch(run + "-" + delivery, settings);
      assertEquals(
          137,
          doomed.awaitExit(Duration.ofSeconds(90)).orElse(-1),
          "delivery " + delivery + " did not halt its worker");
    }
    ServiceProcess survivor = workers.start(run + "-last", settings);

    JsonNode letter =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> deadLettersOf(poisonId), letters -> !letters.isEmpty())
            .get(0);
    assertEquals("crashed_worker", letter.get("reason").asText());
    assertEquals(MAX_DELIVERIES, letter.get("attempts").asInt());
    assertEquals(poison, letter.get("job").asText());

    List<String> echoes = WorkerProcesses.echoJobs(20, run, 0);
    WorkerProcesses.push(echoes);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                new HashSet<>(WorkerProcesses.list(EchoHandler.key(run))).containsAll(ids(echoes)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                new HashSet<>(WorkerProcesses.list(EchoHandler.key(run)))
                    .containsAll(ids(companions)));
    for (String companion : ids(companions)) {
      assertTrue(deadLettersOf(companion).isEmpty(), "buried with the poison: " + companion);
    }
    assertTrue(
        WorkerProcesses.deliveryCounts(companions).stream().allMatch(Objects::isNull),
        "a companion's delivery count outlived it");

    assertTrue(survivor.alive(), "the poison ran a third time");
    assertEquals(1, deadLettersOf(poisonId).size(), "dead-lettered more than once");
    for (String worker : List.of(run + "-1", run + "-2")) {
      assertEquals(0L, WorkerProcesses.length("tasks:processing:" + worker), worker);
    }
    // An echo is written just before its job is acknowledged: the last acks may still be on the
    // way.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> WorkerProcesses.length("tasks:processing:" + run + "-last") == 0);
    assertTrue(
        WorkerProcesses.list("tasks").stream().noneMatch(job -> job.contains(run)),
        "the poison is still queued");
    assertNull(
        RedisCommand.call(
            TestStack.get().redisUrl(),
            "HGET",
            "tasks:deliveries",
            Digests.sha1(poison.getBytes(StandardCharsets.UTF_8))),
        "its delivery count outlived it");
  }

  private static List<JsonNode> deadLettersOf(String jobId) {
    return WorkerProcesses.list("tasks:dead").stream()
        .map(PoisonJobIT::tree)
        .filter(letter -> jobId.equals(letter.path("job_id").asText()))
        .toList();
  }

  private static java.util.Set<String> ids(List<String> jobs) {
    return jobs.stream().map(job -> tree(job).get("id").asText()).collect(Collectors.toSet());
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
