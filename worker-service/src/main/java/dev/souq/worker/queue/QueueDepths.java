package dev.souq.worker.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.shared.metrics.Gauges;
import dev.souq.shared.redis.LuaScript;
import dev.souq.worker.metrics.WorkerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * souq_tasks_queue_depth{queue=tasks|<named queue>|delayed|dead}: the shared queues' lengths
 * ({@code tasks} is the default queue), and souq_tasks_oldest_age_seconds{queue}: how long the job
 * next in line has been queued (its {@code enqueued_at}; 0 when the queue is empty or the job does
 * not say), sampled every five seconds rather than read on every scrape, so a scrape never waits on
 * Redis.
 */
@Singleton
public class QueueDepths {
  /** The job next in line, or only its enqueued_at when it is big (lua/oldest.lua). */
  private static final LuaScript OLDEST = LuaScript.fromClasspath("/lua/oldest.lua");

  /** The most bytes of a job next in line read whole; any job of Souq's is far smaller. */
  private static final String WHOLE = "65536";

  private final TaskKeys keys;
  private static final long PERIOD_MS = 5000;

  private final ReactiveRedisDataSource redis;
  private final ObjectMapper json;
  private final Vertx vertx;
  private final List<Queues.Named> named;
  private final List<AtomicLong> queued = new ArrayList<>();
  private final List<AtomicLong> oldestMillis = new ArrayList<>();
  private final AtomicLong delayed = new AtomicLong();
  private final AtomicLong dead = new AtomicLong();
  private long timer = -1;

  QueueDepths(
      ReactiveRedisDataSource redis,
      Vertx vertx,
      Gauges gauges,
      TaskKeys keys,
      Queues queues,
      ObjectMapper json) {
    this.keys = keys;
    this.json = json;
    this.redis = redis;
    this.vertx = vertx;
    this.named = queues.all();
    for (Queues.Named queue : named) {
      AtomicLong depth = new AtomicLong();
      AtomicLong oldest = new AtomicLong();
      queued.add(depth);
      oldestMillis.add(oldest);
      String name = queue.key().equals(TaskKeys.QUEUE) ? TaskKeys.QUEUE : queue.name();
      depth(gauges, name, depth);
      gauges.register(
          Gauge.builder("souq.tasks.oldest.age", oldest, millis -> millis.get() / 1000.0)
              .description(
                  "How long the job next in line on a queue has waited (sampled every 5 s)")
              .baseUnit("seconds")
              .tag("queue", name));
    }
    depth(gauges, "delayed", delayed);
    depth(gauges, "dead", dead);
  }

  private static void depth(Gauges gauges, String queue, AtomicLong value) {
    gauges.register(
        Gauge.builder("souq.tasks.queue.depth", value, AtomicLong::get)
            .description("Jobs on a shared queue (sampled every 5 s)")
            .tag("queue", queue));
  }

  void start(@Observes StartupEvent event) {
    timer = vertx.setPeriodic(1, PERIOD_MS, id -> sample());
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  /** How long ago {@code job} was enqueued, by its enqueued_at; 0 when it is none or says not. */
  private long waitedMillis(String job) {
    if (job == null) {
      return 0;
    }
    try {
      String at = json.readTree(job).path("enqueued_at").asText("");
      return at.isEmpty() ? 0 : WorkerMetrics.waited(Instant.parse(at), Instant.now()).toMillis();
    } catch (JsonProcessingException | DateTimeParseException e) {
      return 0;
    }
  }

  private void sample() {
    for (int i = 0; i < named.size(); i++) {
      AtomicLong depth = queued.get(i);
      AtomicLong oldest = oldestMillis.get(i);
      redis.list(String.class).llen(named.get(i).key()).subscribe().with(depth::set, ignored -> {});
      OLDEST
          .runRaw(redis, List.of(named.get(i).key()), List.of(WHOLE))
          .subscribe()
          .with(
              next -> oldest.set(waitedMillis(next == null ? null : next.toString())),
              ignored -> {});
    }
    Uni.combine()
        .all()
        .unis(
            redis.sortedSet(String.class).zcard(keys.delayed()),
            redis.list(String.class).llen(keys.dead()))
        .asTuple()
        .subscribe()
        .with(
            depths -> {
              delayed.set(depths.getItem1());
              dead.set(depths.getItem2());
            },
            failure -> {
              // Redis is away: readiness says so; the gauges keep their last values.
            });
  }
}
