package dev.souq.worker.queue;

import dev.souq.shared.messages.Task;
import dev.souq.shared.redis.LuaScript;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Writes how the last run of a schedule's job ended on the schedule's state, for the operator's
 * list: any job type, found by {@code payload.schedule}. A view, not a record the queue depends on:
 * a write that fails is logged (a warning: the list then shows an older outcome) and dropped, and
 * never holds up the job's own outcome.
 */
@Singleton
public class ScheduleOutcomes {
  private static final LuaScript RECORD = LuaScript.fromClasspath("/lua/schedule-outcome.lua");

  /** A run's outcome as the list shows it. */
  enum Outcome {
    SUCCEEDED,
    FAILED,
    DEAD;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final ReactiveRedisDataSource redis;
  private final TaskKeys keys;

  ScheduleOutcomes(ReactiveRedisDataSource redis, TaskKeys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /** Records {@code outcome} (with {@code error}, or null) if {@code task} is a schedule's job. */
  Uni<Void> record(Task task, Outcome outcome, String error) {
    String schedule = Schedule.nameOf(task);
    if (schedule == null) {
      return Uni.createFrom().voidItem();
    }
    return RECORD
        .run(
            redis,
            List.of(keys.schedule(schedule)),
            List.of(
                outcome.label(),
                Long.toString(System.currentTimeMillis()),
                error == null ? "" : error,
                task.id()))
        .replaceWithVoid()
        .onFailure()
        .recoverWithUni(
            failure -> {
              Log.warnf(
                  "Recording the outcome of schedule %s failed: %s", schedule, failure.toString());
              return Uni.createFrom().voidItem();
            });
  }
}
