package dev.souq.worker.runtime;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.devstack.ServiceProcess;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import dev.souq.worker.handlers.EchoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three packaged workers share a schedule that ticks every second, set by env vars as a deployer
 * would; halfway through 20 seconds the one that has been queuing the ticks is killed (SIGKILL).
 * There is no leader to lose: the others go on, every tick is queued exactly once, none is missing,
 * and each one's job runs.
 */
class ScheduleIT {
  private static final long SECOND = 1000;
  private static final long WINDOW = 20 * SECOND;

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
  void everyTickIsQueuedOnceAcrossThreeReplicasThoughOneIsKilled() throws Exception {
    // A name of its own each run; env vars cannot carry underscores in a schedule's name.
    String name = "tick" + UUID.randomUUID().toString().substring(0, 8);
    String run = "schedule-" + UUID.randomUUID();
    String env = "WORKER_SCHEDULES_" + name.toUpperCase(Locale.ROOT);
    Map<String, String> settings =
        Map.of(
            env + "_EVERY",
            "1s",
            env + "_TYPE",
            "echo",
            env + "_PAYLOAD",
            "{\"reply_to\":\"" + run + "\",\"delay_ms\":0}",
            // The shipped schedules have nothing to call here.
            "WORKER_SCHEDULES_CANCEL_UNPAID_ORDERS_ENABLED",
            "false",
            "WORKER_SCHEDULES_PURGE_DEAD_LETTERS_ENABLED",
            "false",
            "WORKER_HEARTBEAT_TTL",
            "2s");
    String state = "tasks:schedule:" + name;
    long duplicates = stat("duplicates");
    List<ServiceProcess> replicas =
        workers.startAll(List.of(name + "-a", name + "-b", name + "-c"), settings);

    // Ticks may have come while the replicas started: the window starts with all three up.
    long ready =
        await().atMost(Duration.ofSeconds(30)).until(() -> lastTick(state), tick -> tick > 0);
    await().atMost(Duration.ofSeconds(30)).until(() -> lastTick(state) >= ready + WINDOW / 2);
    // The replica that looks first after each second queues the ticks: that one is killed, so the
    // others must take over.
    ServiceProcess victim =
        replicas.stream().max(Comparator.comparingDouble(r -> queuedBy(r, name))).orElseThrow();
    assertTrue(queuedBy(victim, name) > 0, "no replica counted a tick");
    List<ServiceProcess> survivors = new ArrayList<>(replicas);
    survivors.remove(victim);
    double survivorsBefore = survivors.stream().mapToDouble(r -> queuedBy(r, name)).sum();
    victim.kill();
    long killedAt = lastTick(state);
    List<String> end =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> ticks(state), t -> Long.parseLong(t.get(0)) >= killedAt + WINDOW / 2);
    long last = Long.parseLong(end.get(0));
    long queued = Long.parseLong(end.get(1));

    assertTrue(!victim.alive(), "the victim survived");
    assertTrue(survivors.stream().allMatch(ServiceProcess::alive), "a survivor died");
    assertTrue(
        survivors.stream().mapToDouble(r -> queuedBy(r, name)).sum() > survivorsBefore,
        "the survivors queued no tick after the kill");
    assertEquals(0, last % SECOND, "not on a second: " + last);
    // If every tick was queued once, the first was this many seconds before the last.
    long first = last - (queued - 1) * SECOND;
    assertTrue(first <= ready, "fewer jobs queued than ticks in the window: " + queued);

    // Each tick has its job (found by its idempotency key), each job ran, and only those ran.
    Map<String, Long> tickOf = new HashMap<>();
    for (long tick = first; tick <= last; tick += SECOND) {
      String key = "tasks:idempotency:schedule-" + name + "-" + tick;
      String done =
          await()
              .atMost(Duration.ofSeconds(30))
              .until(() -> get(key), mark -> mark != null && mark.startsWith("done:"));
      Long other = tickOf.put(done.substring("done:".length()), tick);
      assertEquals(null, other, "ticks " + other + " and " + tick + " share a job");
    }
    Set<String> echoed = new HashSet<>(WorkerProcesses.list(EchoHandler.key(run)));
    assertTrue(echoed.containsAll(tickOf.keySet()), "a tick's job did not run");
    for (String id : echoed) {
      assertTrue(tickOf.containsKey(id) || isLaterTick(name, last, id), "job " + id + " ran");
    }
    assertEquals(
        duplicates, stat("duplicates"), "a second copy of a job with an idempotency key came");
  }

  /** Whether job {@code id} is the job of a tick after {@code last} (running or done). */
  private static boolean isLaterTick(String name, long last, String id) {
    long now = lastTick("tasks:schedule:" + name);
    for (long tick = last + SECOND; tick <= now; tick += SECOND) {
      String mark = get("tasks:idempotency:schedule-" + name + "-" + tick);
      if (mark != null && mark.endsWith(":" + id)) {
        return true;
      }
    }
    return false;
  }

  /** souq_tasks_scheduled_total of {@code schedule} on {@code replica}. */
  private static double queuedBy(ServiceProcess replica, String schedule) {
    String metrics =
        given().baseUri(replica.managementUri().toString()).get("/q/metrics").asString();
    Matcher count =
        Pattern.compile(
                "^souq_tasks_scheduled_total\\{schedule=\"" + schedule + "\"\\} (\\S+)$",
                Pattern.MULTILINE)
            .matcher(metrics);
    return count.find() ? Double.parseDouble(count.group(1)) : 0;
  }

  /** The schedule's last tick and how many jobs it has queued, read together. */
  private static List<String> ticks(String state) {
    return new ArrayList<>(
        RedisCommand.list(TestStack.get().redisUrl(), "HMGET", state, "last_tick", "enqueued"));
  }

  private static long lastTick(String state) {
    String tick = ticks(state).get(0);
    return tick == null ? 0 : Long.parseLong(tick);
  }

  private static String get(String key) {
    return (String) RedisCommand.call(TestStack.get().redisUrl(), "GET", key);
  }

  private static long stat(String field) {
    Object value = RedisCommand.call(TestStack.get().redisUrl(), "HGET", "tasks:stats", field);
    return value == null ? 0 : Long.parseLong((String) value);
  }
}
