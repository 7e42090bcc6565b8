package dev.souq.worker.runtime;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.devstack.ServiceProcess;
import dev.souq.shared.messages.TaskQueues;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import dev.souq.worker.handlers.EchoHandler;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job bigger than the worker's heap (200 MB against ./run's -Xmx256m), against the packaged
 * worker and real Redis: it is buried as too_large with its size, and the jobs behind it run. Read
 * whole, it stopped the worker for good: each read failed with an OutOfMemoryError, the job stayed
 * in its processing list and was read again, and nothing behind it ran.
 */
class OversizedJobIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SIZE = 200 * 1024 * 1024;
  private static final String CRITICAL = TaskQueues.key("critical");
  private final WorkerProcesses workers = new WorkerProcesses();

  @BeforeEach
  void emptyTheQueue() {
    RedisCommand.call(
        TestStack.get().redisUrl(), "DEL", "tasks", CRITICAL, "tasks:dead", "tasks:paused");
  }

  @AfterEach
  void stop() throws InterruptedException {
    workers.stopAll();
  }

  @Test
  void aJobWaitingForAWorkerIsCutInRedisNeverReadWhole() throws Exception {
    String run = "oversized-" + UUID.randomUUID();
    String big = pushBig(run, "tasks");
    List<String> behind = WorkerProcesses.echoJobs(5, run, 0);
    WorkerProcesses.push(behind);

    ServiceProcess worker = workers.start(run, Map.of());

    awaitRun(run, behind);
    assertBuried(big);
    assertFalse(worker.logged().contains("OutOfMemoryError"), "the worker read it whole");
  }

  /**
   * An idle worker waited on its first queue (critical) with a blocking move until 2026-12-07,
   * which handed it such a job whole: it now waits on {@code {tasks}:wake}, and a fetch cuts the
   * job.
   */
  @Test
  void aJobPushedOnTheFirstQueueWhileTheWorkerWaitsIdleIsCutToo() throws Exception {
    String run = "oversized-idle-" + UUID.randomUUID();
    ServiceProcess worker = workers.start(run, Map.of());

    String big = pushBig(run, CRITICAL);
    List<String> behind = WorkerProcesses.echoJobs(5, run, 0);
    WorkerProcesses.push(CRITICAL, behind);

    awaitRun(run, behind);
    assertBuried(big);
    assertFalse(worker.logged().contains("OutOfMemoryError"), "the worker read it whole");
  }

  /**
   * The queue metrics' sampler ages the job next in line: one too big to read whole, waiting on a
   * paused queue, is aged by its enqueued_at alone (it read the job whole every 5 s until
   * 2026-12-07).
   */
  @Test
  void aBigJobNextInLineIsAgedWithoutBeingReadWhole() throws Exception {
    RedisCommand.call(TestStack.get().redisUrl(), "SADD", "tasks:paused", "queue:critical");
    String run = "oversized-aged-" + UUID.randomUUID();
    pushBig(run, CRITICAL);
    ServiceProcess worker = workers.start(run, Map.of());

    Pattern age =
        Pattern.compile(
            "^souq_tasks_oldest_age_seconds\\{queue=\"critical\"\\} (\\S+)$", Pattern.MULTILINE);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Matcher seconds =
                  age.matcher(
                      given()
                          .baseUri(worker.managementUri().toString())
                          .get("/q/metrics")
                          .asString());
              return seconds.find() && Double.parseDouble(seconds.group(1)) > 0;
            });
    assertFalse(worker.logged().contains("OutOfMemoryError"), "the sampler read it whole");
  }

  /**
   * A limit that lets a job near the heap be read whole stops the worker as it starts, said why.
   */
  @Test
  void aJobLimitNearTheHeapIsRefusedAtStart() throws Exception {
    ServiceProcess worker =
        workers.launch(
            "oversized-limit-" + UUID.randomUUID(),
            Map.of("WORKER_MAX_JOB_BYTES", Integer.toString(SIZE)));
    assertTrue(worker.awaitExit(Duration.ofSeconds(60)).isPresent(), "it started");
    assertTrue(
        worker.logged().contains("worker.max-job-bytes (" + SIZE + ") must be at most"),
        "no reason given");
  }

  /** Pushes a 200 MB echo job, enqueued now, on the list {@code queue}; its first bytes. */
  private static String pushBig(String run, String queue) {
    String head = "{\"id\":\"" + run + "\",\"type\":\"echo\",\"payload\":{\"reply_to\":\"" + run;
    // enqueued_at after the payload, as Souq's envelopes write it.
    String tail = "\"},\"enqueued_at\":\"" + java.time.Instant.now() + "\"}";
    String pad = "\",\"pad\":\"";
    String job =
        head + pad + "x".repeat(SIZE - head.length() - pad.length() - tail.length()) + tail;
    RedisCommand.call(TestStack.get().redisUrl(), "LPUSH", queue, job);
    return head;
  }

  private static void awaitRun(String run, List<String> jobs) {
    java.util.Set<String> ids = new HashSet<>();
    for (String job : jobs) {
      ids.add(tree(job).get("id").asText());
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> new HashSet<>(WorkerProcesses.list(EchoHandler.key(run))).containsAll(ids));
  }

  private static void assertBuried(String head) {
    JsonNode letter =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    WorkerProcesses.list("tasks:dead").stream()
                        .map(OversizedJobIT::tree)
                        .filter(l -> l.path("job").asText().startsWith(head))
                        .toList(),
                letters -> !letters.isEmpty())
            .get(0);
    assertEquals("too_large", letter.get("reason").asText());
    assertEquals(SIZE, letter.get("job_size").asLong());
    assertTrue(letter.get("job_truncated").asBoolean());
    // Only a job cut in Redis lacks its digest: the worker never held it whole.
    assertTrue(letter.path("job_sha256").isNull(), "a digest: the worker read the job whole");
  }

  private static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
