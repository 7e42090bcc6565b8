package dev.souq.worker.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.devstack.ServiceProcess;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import dev.souq.worker.handlers.EchoHandler;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The packaged worker killed and stopped mid-drain, against real Redis. */
class CrashRecoveryIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  // The SIGTERM test's timing, with seconds to spare each way. A quick job outlasts the moments
  // from its fetch to the SIGTERM by far, and ends well within the grace period. A slow one (the
  // longest an echo job may take) outlasts the grace period by seconds: the worker has returned it
  // and exited before it could end.
  private static final long QUICK_MS = 3_000;
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
  private static final long SLOW_MS = 10_000;

  private final WorkerProcesses workers = new WorkerProcesses();

  @BeforeEach
  void emptyTheQueue() {
    // Earlier tests' leftovers (other modules' jobs, retries) would take the workers' slots.
    RedisCommand.call(TestStack.get().redisUrl(), "DEL", "tasks", "tasks:delayed");
  }

  @AfterEach
  void stop() throws InterruptedException {
    workers.stopAll();
  }

  /** Three replicas share one queue (issue 15); one is killed with SIGKILL a quarter of the way. */
  @Test
  void threeWorkersShareTenThousandJobsAndOneKilledMidDrainLosesNone() throws Exception {
    String run = "crash-" + UUID.randomUUID();
    String echo = EchoHandler.key(run);
    List<String> jobs = WorkerProcesses.echoJobs(10_000, run, 20);
    Set<String> ids = jobs.stream().map(CrashRecoveryIT::id).collect(Collectors.toSet());
    Map<String, String> settings = Map.of("WORKER_CONCURRENCY", "16", "WORKER_HEARTBEAT_TTL", "2s");
    List<ServiceProcess> replicas =
        workers.startAll(List.of(run + "-a", run + "-b", run + "-c"), settings);

    WorkerProcesses.push(jobs);
    await()
        .pollInterval(Duration.ofMillis(5))
        .atMost(Duration.ofSeconds(60))
        .until(() -> WorkerProcesses.length(echo) >= 2_500);
    replicas.get(0).kill();
    Set<String> heldAtKill =
        WorkerProcesses.list("tasks:processing:" + run + "-a").stream()
            .map(CrashRecoveryIT::id)
            .collect(Collectors.toSet());
    long echoedAtKill = WorkerProcesses.length(echo);
    assertTrue(echoedAtKill < 10_000, "the kill came too late to test anything: " + echoedAtKill);
    assertTrue(!heldAtKill.isEmpty(), "the killed worker held no job");

    // The two survivors finish the queue and take back what the dead one held.
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> new HashSet<>(WorkerProcesses.list(echo)).containsAll(ids));

    List<String> echoed = WorkerProcesses.list(echo);
    Map<String, Long> runs =
        echoed.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    Set<String> twice =
        runs.entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .map(Map.Entry::getKey)
            .collect(Collectors.toSet());
    assertEquals(ids, runs.keySet(), "every job ran, and only those");
    assertTrue(heldAtKill.containsAll(twice), "ran twice without being in flight: " + twice);
    assertTrue(runs.values().stream().allMatch(n -> n <= 2), "a job ran three times");
    assertTrue(
        WorkerProcesses.deliveryCounts(jobs).stream().allMatch(Objects::isNull),
        "a finished job's delivery count outlived it");
    assertEquals(0L, WorkerProcesses.length("tasks:processing:" + run + "-a"));
    assertEquals(
        0L,
        (Long)
            RedisCommand.call(
                TestStack.get().redisUrl(), "SISMEMBER", "tasks:workers", run + "-a"));
  }

  @Test
  void sigtermLetsInFlightJobsFinishAndReturnsTheRest() throws Exception {
    String run = "drain-" + UUID.randomUUID();
    String echo = EchoHandler.key(run);
    String processing = "tasks:processing:" + run;
    List<String> quick = WorkerProcesses.echoJobs(2, run, QUICK_MS);
    List<String> slow = WorkerProcesses.echoJobs(2, run, SLOW_MS);
    List<String> waiting = WorkerProcesses.echoJobs(16, run, 0);
    ServiceProcess worker =
        workers.start(
            run,
            Map.of(
                "WORKER_CONCURRENCY",
                "4",
                "WORKER_SHUTDOWN_GRACE",
                SHUTDOWN_GRACE.toSeconds() + "s"));
    // LPUSH of several jobs leaves the first at the right end, where workers take from.
    WorkerProcesses.push(concat(quick, slow, waiting));
    // SIGTERM once the quick and slow jobs, and nothing else, hold the worker's four slots.
    await()
        .pollInterval(Duration.ofMillis(20))
        .atMost(Duration.ofSeconds(30))
        .until(() -> ids(WorkerProcesses.list(processing)).equals(ids(concat(quick, slow))));
    worker.terminate();
    assertEquals(
        List.of(),
        WorkerProcesses.list(echo),
        "a job finished before the SIGTERM was sent: the test came too late to show anything");
    assertTrue(worker.awaitExit(Duration.ofSeconds(30)).isPresent(), "still running");

    List<String> echoed = WorkerProcesses.list(echo);
    assertEquals(
        ids(quick),
        new HashSet<>(echoed),
        "the jobs that could finish within the grace period did, no others ran");
    assertEquals(quick.size(), echoed.size(), "a quick job ran twice");
    Set<String> queued =
        WorkerProcesses.list("tasks").stream()
            .filter(job -> job.contains(run))
            .map(CrashRecoveryIT::id)
            .collect(Collectors.toSet());
    Set<String> rest = ids(slow);
    rest.addAll(ids(waiting));
    assertEquals(rest, queued, "unfinished and waiting jobs are back on the queue");
    assertTrue(
        WorkerProcesses.deliveryCounts(concat(slow, waiting)).stream().allMatch(Objects::isNull),
        "a clean shutdown counted its leftovers as deliveries to a dead worker");
    assertEquals(0L, WorkerProcesses.length(processing));
    for (String job : WorkerProcesses.list("tasks")) {
      if (job.contains(run)) {
        RedisCommand.call(TestStack.get().redisUrl(), "LREM", "tasks", "0", job);
      }
    }
  }

  @Test
  void aWorkerRestartedUnderItsFixedIdRunsWhatItsKilledPredecessorLeft() throws Exception {
    // What a worker with WORKER_ID set leaves when killed: its jobs in its processing list, its
    // heartbeat still alive (the restart comes before it lapses, and then renews it).
    String run = "fixed-" + UUID.randomUUID();
    String url = TestStack.get().redisUrl();
    List<String> left = WorkerProcesses.echoJobs(2, run, 0);
    RedisCommand.call(url, "LPUSH", "tasks:processing:" + run, left.get(0), left.get(1));
    RedisCommand.call(url, "SADD", "tasks:workers", run);
    RedisCommand.call(url, "SET", "tasks:heartbeat:" + run, run, "EX", "60");

    workers.start(run, Map.of());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> new HashSet<>(WorkerProcesses.list(EchoHandler.key(run))).equals(ids(left)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> WorkerProcesses.length("tasks:processing:" + run) == 0L);
    assertEquals(2, WorkerProcesses.list(EchoHandler.key(run)).size(), "a job ran twice");
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
  }

  private static Set<String> ids(List<String> jobs) {
    return jobs.stream().map(CrashRecoveryIT::id).collect(Collectors.toCollection(HashSet::new));
  }

  private static String id(String job) {
    try {
      return JSON.readTree(job).get("id").asText();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
