package dev.souq.worker.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.souq.shared.json.JsonText;
import dev.souq.shared.messages.Task;
import dev.souq.shared.messages.TaskQueues;
import dev.souq.shared.redis.WorkerWakeup;
import dev.souq.shared.tracing.TraceParents;
import dev.souq.worker.queue.Queues;
import dev.souq.worker.queue.TaskKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The operator's side of the queue: enqueue and stats ({@link DeadLetters}: the dead letters). */
@Singleton
public class TaskQueue {
  private final TaskKeys keys;
  private final Queues queues;

  private final ReactiveRedisDataSource redis;
  private final ObjectMapper json;

  TaskQueue(ReactiveRedisDataSource redis, ObjectMapper json, TaskKeys keys, Queues queues) {
    this.keys = keys;
    this.queues = queues;
    this.redis = redis;
    this.json = json;
  }

  /**
   * Queues a job now on its queue (the one it names, else its type's route), or on tasks:delayed
   * when it has a delay (it goes to its queue when due).
   */
  public Uni<Task> enqueue(TaskRequest request) {
    Instant now = Instant.now();
    String queue = request.queue() == null ? queues.routeOf(request.type()) : request.queue();
    Task task =
        Task.of(
                UUID.randomUUID().toString(),
                request.type(),
                request.payload() == null
                    ? JsonNodeFactory.instance.objectNode()
                    : request.payload(),
                now,
                request.idempotencyKey())
            .on(queue)
            .traced(TraceParents.current());
    long delay = request.delaySeconds() == null ? 0 : request.delaySeconds();
    if (delay == 0) {
      return redis
          .list(String.class)
          .lpush(TaskQueues.key(queue), JsonText.write(json, task))
          .invoke(() -> WorkerWakeup.send(redis.getRedis()))
          .replaceWith(task);
    }
    Task delayed = task.dueAt(now.plusSeconds(delay));
    return redis
        .sortedSet(String.class)
        .zadd(keys.delayed(), delayed.runAt().toEpochMilli(), JsonText.write(json, delayed))
        .replaceWith(delayed);
  }

  /** Depths, in-flight jobs of every worker, and the cluster-wide counters. */
  public Uni<TaskStats> stats() {
    Uni<Map<String, Long>> depths =
        Multi.createFrom()
            .iterable(queues.all())
            .onItem()
            .transformToUniAndConcatenate(
                q -> redis.list(String.class).llen(q.key()).map(n -> Map.entry(q.name(), n)))
            .collect()
            .asList()
            .map(
                entries -> {
                  Map<String, Long> byQueue = new LinkedHashMap<>();
                  entries.forEach(e -> byQueue.put(e.getKey(), e.getValue()));
                  return byQueue;
                });
    Uni<List<String>> paused =
        redis.set(String.class).smembers(keys.paused()).map(s -> s.stream().sorted().toList());
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
        .unis(depths, paused, delayed, dead, counters, workers)
        .asTuple()
        .chain(
            all ->
                processing(all.getItem6())
                    .map(
                        inFlight -> {
                          Map<String, Long> c = all.getItem5();
                          return new TaskStats(
                              all.getItem1().values().stream().mapToLong(Long::longValue).sum(),
                              all.getItem1(),
                              all.getItem2(),
                              inFlight,
                              all.getItem3(),
                              all.getItem4(),
                              c.getOrDefault("processed", 0L),
                              c.getOrDefault("failed", 0L),
                              c.getOrDefault("retried", 0L),
                              c.getOrDefault("snoozed", 0L),
                              c.getOrDefault("paced", 0L),
                              c.getOrDefault("duplicates", 0L),
                              c.getOrDefault("scheduled", 0L),
                              c.getOrDefault("purged", 0L),
                              all.getItem6(),
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
