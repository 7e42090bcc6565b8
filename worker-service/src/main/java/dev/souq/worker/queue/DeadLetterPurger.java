package dev.souq.worker.queue;

import dev.souq.shared.redis.LuaScript;
import dev.souq.worker.handlers.DeadLetterPurge;
import dev.souq.worker.metrics.WorkerMetrics;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Removes dead letters older than a cutoff in batches, each one atomic script that also counts them
 * ({@code purged} in tasks:stats). tasks:dead is newest first, so it works from the oldest end and
 * stops at the first dead letter within the cutoff.
 */
@Singleton
public class DeadLetterPurger implements DeadLetterPurge {
  private static final LuaScript PURGE = LuaScript.fromClasspath("/lua/dead-purge.lua");
  private static final int BATCH = 500;
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private final ReactiveRedisDataSource redis;
  private final TaskKeys keys;
  private final WorkerMetrics metrics;

  DeadLetterPurger(ReactiveRedisDataSource redis, TaskKeys keys, WorkerMetrics metrics) {
    this.redis = redis;
    this.keys = keys;
    this.metrics = metrics;
  }

  @Override
  public Uni<Long> purgeBefore(Instant cutoff) {
    // dead_at compared to the second, as text: ISO-8601 in UTC sorts as time does.
    return batch(SECONDS.format(cutoff.truncatedTo(ChronoUnit.SECONDS)), 0, 0);
  }

  private Uni<Long> batch(String cutoff, long kept, long removed) {
    return PURGE
        .run(
            redis,
            List.of(keys.dead(), keys.stats()),
            List.of(cutoff, Integer.toString(BATCH), Long.toString(kept)))
        .chain(
            answer -> {
              long now = answer.get(0).toLong();
              metrics.purged(now);
              return done(answer)
                  ? Uni.createFrom().item(removed + now)
                  : batch(cutoff, kept + answer.get(1).toLong(), removed + now);
            });
  }

  private static boolean done(Response answer) {
    return answer.get(2).toInteger() == 1;
  }
}
