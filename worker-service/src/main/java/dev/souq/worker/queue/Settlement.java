package dev.souq.worker.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.shared.json.JsonText;
import dev.souq.shared.messages.Task;
import dev.souq.shared.redis.LuaScript;
import dev.souq.worker.config.WorkerConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Redis half of the outcome of a job that is not done ({@code lua/settle.lua}): one atomic
 * script takes the job out of this worker's processing list and puts it on the delayed set (a
 * retry, a snooze, a job put off) or the dead letters, so a job is always in exactly one place. A
 * write Redis refuses is tried again until it lands.
 */
@Singleton
class Settlement {
  private static final LuaScript SETTLE = LuaScript.fromClasspath("/lua/settle.lua");

  private final ReactiveRedisDataSource redis;
  private final TaskKeys keys;
  private final WorkerIdentity identity;
  private final WorkerConfig config;
  private final ObjectMapper json;

  Settlement(
      ReactiveRedisDataSource redis,
      TaskKeys keys,
      WorkerIdentity identity,
      WorkerConfig config,
      ObjectMapper json) {
    this.redis = redis;
    this.keys = keys;
    this.identity = identity;
    this.config = config;
    this.json = json;
  }

  /** Buries the job as {@code letter}, counting it under {@code counted} and as dead. */
  Uni<Void> bury(Job job, DeadLetter letter, List<String> counted) {
    Task task = job.task();
    List<Object> args = new ArrayList<>();
    args.add(job.raw());
    args.add(JsonText.write(json, letter));
    args.add(Integer.toString(config.deadLettersMax()));
    args.add(claim(job));
    args.add(deliveryField(job));
    args.add("bury");
    args.add(reliable());
    args.addAll(counted);
    args.add("dead");
    if (task != null && task.type() != null && JobReader.TYPE.matcher(task.type()).matches()) {
      args.add("dead:" + task.type());
    }
    return write(keys(keys.dead(), task), args);
  }

  /** Runs the job again as {@code next} at {@code due}, counting it under {@code counted}. */
  Uni<Void> retry(Job job, Task next, Instant due, List<String> counted) {
    List<Object> args = new ArrayList<>();
    args.add(job.raw());
    args.add(JsonText.write(json, next));
    args.add(Long.toString(Task.dueMillis(due).toEpochMilli()));
    args.add(claim(job));
    args.add(deliveryField(job));
    args.add("retry");
    args.add(reliable());
    args.addAll(counted);
    return write(keys(keys.delayed(), next), args);
  }

  /** '1' when the job is in this worker's processing list, which settling it twice finds gone. */
  private String reliable() {
    return config.fetch() == WorkerConfig.FetchMode.RELIABLE ? "1" : "0";
  }

  /** The mark of the claim this delivery holds, which settling releases; '' if none. */
  private static String claim(Job job) {
    return job.claim() == null ? "" : job.claim();
  }

  private static String deliveryField(Job job) {
    return job.redeliveries() > 0 ? job.deliveryField() : "";
  }

  private List<String> keys(String target, Task task) {
    List<String> settled = new ArrayList<>(5);
    settled.add(identity.processing());
    settled.add(target);
    settled.add(keys.stats());
    settled.add(keys.deliveries());
    if (task != null && task.idempotencyKey() != null) {
      settled.add(keys.idempotency(task.idempotencyKey()));
    }
    return settled;
  }

  /** Settles the job once Redis takes it: until then it stays in the processing list. */
  private Uni<Void> write(List<String> keys, List<Object> args) {
    return SETTLE
        .runRaw(redis, keys, args)
        .onFailure()
        .invoke(f -> Log.warnf("Recording a job's outcome failed; retrying: %s", f.toString()))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5))
        .indefinitely()
        .replaceWithVoid();
  }
}
