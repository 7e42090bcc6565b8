package dev.souq.worker.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.souq.shared.messages.Task;
import dev.souq.shared.redis.LuaScript;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.queue.DeadLetter;
import dev.souq.worker.queue.Job;
import dev.souq.worker.queue.JobReader;
import dev.souq.worker.queue.TaskKeys;
import dev.souq.worker.rest.DeadLetterPage;
import dev.souq.worker.rest.TaskRequest;
import dev.souq.worker.rest.TaskStats;
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

/** The operator's side of the queue: enqueue, stats, and the dead letters. */
@Singleton
public class TaskQueue {
  private final TaskKeys keys;
  private static final LuaScript FIND = LuaScript.fromClasspath("/lua/dead-find.lua");
  private static final LuaScript TAKE = LuaScript.fromClasspath("/lua/dead-take.lua");

  private final ReactiveRedisDataSource redis;
  private final ObjectMapper json;
  private final JobReader reader;

  TaskQueue(ReactiveRedisDataSource redis, ObjectMapper json, WorkerConfig config, TaskKeys keys) {
    this.keys = keys;
    this.redis = redis;
    this.json = json;
    this.reader = new JobReader(json, Integer.MAX_VALUE);
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
      return redis.list(String.class).lpush(TaskKeys.QUEUE, encode(task)).replaceWith(task);
    }
    Instant due = now.plusSeconds(delay);
    Task delayed =
        new Task(
            task.id(), task.type(), task.payload(), 0, now, task.idempotencyKey(), null, null, due);
    return redis
        .sortedSet(String.class)
        .zadd(keys.delayed(), due.toEpochMilli(), encode(delayed))
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
                              c.getOrDefault("duplicates", 0L),
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

  /** A page of dead letters, newest first. */
  public Uni<DeadLetterPage> deadLetters(int offset, int limit) {
    return Uni.combine()
        .all()
        .unis(
            redis.list(String.class).lrange(keys.dead(), offset, offset + limit - 1L),
            redis.list(String.class).llen(keys.dead()))
        .asTuple()
        .map(
            page ->
                new DeadLetterPage(
                    page.getItem1().stream()
                        .map(this::decode)
                        .map(DeadLetterPage.Entry::of)
                        .toList(),
                    offset,
                    limit,
                    page.getItem2()));
  }

  /** Queues a dead letter's job again from attempt 0; null if there is no such dead letter. */
  public Uni<String> retryDead(String id) {
    return take(id, true);
  }

  /** Drops a dead letter; null if there is none with this id. */
  public Uni<String> deleteDead(String id) {
    return take(id, false);
  }

  /** Removes the entry (queuing its job for a retry); the job's id, or null if it was not there. */
  private Uni<String> take(String id, boolean retry) {
    return FIND.run(redis, List.of(keys.dead()), List.of(DeadLetter.prefix(id)))
        .chain(
            found -> {
              if (found == null) {
                return Uni.createFrom().nullItem();
              }
              String entry = found.toString();
              DeadLetter letter = decode(entry);
              String job = retry ? again(letter.job()) : "";
              return TAKE.run(redis, List.of(keys.dead(), TaskKeys.QUEUE), List.of(entry, job))
                  .map(
                      taken ->
                          taken.toInteger() == 1
                              ? (letter.jobId() == null ? letter.id() : letter.jobId())
                              : null);
            });
  }

  /** The job to queue for a retry: an envelope starts over at attempt 0, anything else as is. */
  private String again(String raw) {
    Job job = reader.read(raw);
    return job.runnable() && isEnvelope(raw) ? encode(job.task().fresh()) : raw;
  }

  private boolean isEnvelope(String raw) {
    try {
      var node = json.readTree(raw);
      return node.has("type") || node.has("payload");
    } catch (JsonProcessingException e) {
      return false;
    }
  }

  private DeadLetter decode(String entry) {
    try {
      return json.readValue(entry, DeadLetter.class);
    } catch (JsonProcessingException e) {
      // Someone pushed to tasks:dead by hand: show it rather than fail the page.
      return new DeadLetter(
          null, "unreadable", e.getOriginalMessage(), null, null, 0, null, null, null, entry);
    }
  }

  private String encode(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
