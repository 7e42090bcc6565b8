package dev.souq.worker.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.souq.shared.json.JsonText;
import dev.souq.shared.messages.Task;
import dev.souq.worker.queue.TaskKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The operator's side of the queue: enqueue and stats ({@link DeadLetters}: the dead letters). */
@Singleton
public class TaskQueue {
  private final TaskKeys keys;

  private final ReactiveRedisDataSource redis;
  private final ObjectMapper json;

  TaskQueue(ReactiveRedisDataSource redis, ObjectMapper json, TaskKeys keys) {
    this.keys = keys;
    this.redis = redis;
    this.json = json;
  }

  /** Queues a job now, or on tasks:delayed when it has a delay. */
  public Uni<Task> enqueue(TaskRequest request) {
    Instant now = Instant.now();
    Task task =
        Task.of(
            UUID.randomUUID().toString(),
            request.type(),
            request.payload() == null ? JsonNodeFactory.instance.objectNode() : request.payload(),
            now,
            request.idempotencyKey());
    long delay = request.delaySeconds() == null ? 0 : request.delaySeconds();
    if (delay == 0) {
      return redis
          .list(String.class)
          .lpush(TaskKeys.QUEUE, JsonText.write(json, task))
          .replaceWith(task);
    }
    Instant due = now.plusSeconds(delay);
    Task delayed =
        new Task(
            task.id(), task.type(), task.payload(), 0, now, task.idempotencyKey(), null, null, due);
    return redis
        .sortedSet(String.class)
        .zadd(keys.delayed(), due.toEpochMilli(), JsonText.write(json, delayed))
        .replaceWith(delayed);
  }

  /** Depths, in-flight jobs of every worker, and the cluster-wide counters. */
  public Uni<TaskStats> stats() {
    Uni<Long> queued = redis.list(String.class).llen(TaskKeys.QUEUE);
    Uni<Long> delayed = redis.sortedSet(String.class).zcard(keys.delayed());
    Uni<Long> dead = redis.list(String.class).llen(keys.dead());
    Uni<Map<String, Long>> counters =
        redis.hash(Long.class).hgetall(keys.stats()).map(TreeMap::new);
    Uni<List<String>> workers =
        redis
            .set(String.class)
            .smembers(keys.workers())
            .map(set -> new ArrayList<>(set).stream().sorted().toList());
    return Uni.combine()
        .all()
        .unis(queued, delayed, dead, counters, workers)
        .asTuple()
        .chain(
            all ->
                processing(all.getItem5())
                    .map(
                        inFlight -> {
                          Map<String, Long> c = all.getItem4();
                          return new TaskStats(
                              all.getItem1(),
                              inFlight,
                              all.getItem2(),
                              all.getItem3(),
                              c.getOrDefault("processed", 0L),
                              c.getOrDefault("failed", 0L),
                              c.getOrDefault("retried", 0L),
                              c.getOrDefault("snoozed", 0L),
                              c.getOrDefault("duplicates", 0L),
                              c.getOrDefault("scheduled", 0L),
                              c.getOrDefault("purged", 0L),
                              all.getItem5(),
                              perType(c));
                        }));
  }

  private Uni<Long> processing(List<String> workers) {
    return Multi.createFrom()
        .iterable(workers)
        .onItem()
        .transformToUniAndMerge(w -> redis.list(String.class).llen(keys.processing(w)))
        .collect()
        .with(java.util.stream.Collectors.summingLong(Long::longValue));
  }

  private static Map<String, Map<String, Long>> perType(Map<String, Long> counters) {
    Map<String, Map<String, Long>> types = new TreeMap<>();
    counters.forEach(
        (field, count) -> {
          int colon = field.indexOf(':');
          if (colon > 0) {
            types
                .computeIfAbsent(field.substring(colon + 1), t -> new TreeMap<>())
                .put(field.substring(0, colon), count);
          }
        });
    return types;
  }
}
