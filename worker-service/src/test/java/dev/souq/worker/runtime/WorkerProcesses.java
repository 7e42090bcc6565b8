package dev.souq.worker.runtime;

import dev.souq.devstack.Component;
import dev.souq.devstack.ServiceProcess;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.Replicas;
import dev.souq.testing.TestStack;
import dev.souq.worker.queue.Digests;
import dev.souq.worker.queue.Jobs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Packaged worker-service processes for the black-box tests, and the echo jobs they run. */
final class WorkerProcesses {
  private final Replicas replicas = new Replicas(Component.WORKER);

  /** Starts the packaged worker with id {@code id} and extra env; waits until it is ready. */
  ServiceProcess start(String id, Map<String, String> settings) throws Exception {
    return replicas.start(id, withId(id, settings));
  }

  /** Starts a packaged worker per id, side by side, and waits until each is ready. */
  List<ServiceProcess> startAll(List<String> ids, Map<String, String> settings) throws Exception {
    List<ServiceProcess> started = new ArrayList<>();
    for (String id : ids) {
      started.add(launch(id, settings));
    }
    for (ServiceProcess worker : started) {
      worker.awaitReady(Duration.ofSeconds(60));
    }
    return started;
  }

  /** Starts the packaged worker without waiting: for a worker expected to die (a poison job). */
  ServiceProcess launch(String id, Map<String, String> settings) throws Exception {
    return replicas.launch(id, withId(id, settings));
  }

  /** Stops whatever is still running, even after a failed test. */
  void stopAll() throws InterruptedException {
    replicas.close();
  }

  private static Map<String, String> withId(String id, Map<String, String> settings) {
    Map<String, String> env = new HashMap<>(settings);
    env.put("WORKER_ID", id);
    return env;
  }

  /** Echo jobs that append their id to tasks:echo:{replyTo} after {@code delayMs}. */
  static List<String> echoJobs(int count, String replyTo, long delayMs) {
    List<String> jobs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      jobs.add(
          Jobs.json(Jobs.task("echo", Map.of("reply_to", replyTo, "delay_ms", delayMs), null)));
    }
    return jobs;
  }

  static void push(List<String> jobs) {
    push("tasks", jobs);
  }

  /** LPUSHes the jobs on the list {@code queue}. */
  static void push(String queue, List<String> jobs) {
    List<String> command = new ArrayList<>(List.of("LPUSH", queue));
    command.addAll(jobs);
    RedisCommand.call(TestStack.get().redisUrl(), command.toArray(String[]::new));
  }

  static List<String> list(String key) {
    return RedisCommand.list(TestStack.get().redisUrl(), "LRANGE", key, "0", "-1");
  }

  /** The delivery counts of {@code jobs} in tasks:deliveries (null: never handed back). */
  static List<String> deliveryCounts(List<String> jobs) {
    List<String> command = new ArrayList<>(List.of("HMGET", "tasks:deliveries"));
    jobs.forEach(job -> command.add(Digests.sha1(job.getBytes(StandardCharsets.UTF_8))));
    return RedisCommand.list(TestStack.get().redisUrl(), command.toArray(String[]::new));
  }

  static long length(String key) {
    return (Long) RedisCommand.call(TestStack.get().redisUrl(), "LLEN", key);
  }
}
