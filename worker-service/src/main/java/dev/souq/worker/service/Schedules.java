package dev.souq.worker.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.shared.messages.Task;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.handler.HandlerRegistry;
import dev.souq.worker.metrics.WorkerMetrics;
import dev.souq.worker.queue.Schedule;
import dev.souq.worker.queue.ScheduleClaims;
import dev.souq.worker.queue.TaskKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configured schedules ({@code worker.schedules}), checked at start-up: a bad name, type,
 * interval or payload, or a type no handler runs, stops the worker instead of dead-lettering every
 * tick. The operator's side of them: their state, and a run by hand.
 */
@Singleton
public class Schedules {
  private final Map<String, Schedule> byName = new TreeMap<>();
  private final List<Schedule> enabled;
  private final ScheduleClaims claims;
  private final ReactiveRedisDataSource redis;
  private final TaskKeys keys;
  private final WorkerMetrics metrics;

  Schedules(
      WorkerConfig config,
      ObjectMapper json,
      HandlerRegistry handlers,
      ScheduleClaims claims,
      ReactiveRedisDataSource redis,
      TaskKeys keys,
      WorkerMetrics metrics) {
    config
        .schedules()
        .forEach(
            (name, setting) -> {
              Schedule schedule;
              try {
                schedule = Schedule.of(name, setting, json);
              } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
              }
              if (handlers.find(schedule.type()) == null) {
                throw new IllegalStateException(
                    "worker.schedules.\""
                        + name
                        + "\": no handler runs type "
                        + schedule.type()
                        + "; known: "
                        + handlers.types());
              }
              byName.put(name, schedule);
            });
    this.enabled = byName.values().stream().filter(Schedule::enabled).toList();
    this.claims = claims;
    this.redis = redis;
    this.keys = keys;
    this.metrics = metrics;
  }

  /** The schedules that tick, by name. */
  public List<Schedule> enabled() {
    return enabled;
  }

  /** Every configured schedule, by name, with its state in Redis. */
  public Uni<List<ScheduleView>> views() {
    return Multi.createFrom()
        .iterable(byName.values())
        .onItem()
        .transformToUniAndConcatenate(this::view)
        .collect()
        .asList();
  }

  private Uni<ScheduleView> view(Schedule schedule) {
    return Uni.combine()
        .all()
        .unis(
            redis.sortedSet(String.class).zscore(keys.schedules(), schedule.name()),
            redis.hash(String.class).hgetall(keys.schedule(schedule.name())))
        .asTuple()
        .map(state -> ScheduleView.of(schedule, state.getItem1(), state.getItem2()));
  }

  /** Queues one job of schedule {@code name} now; null if there is no such schedule. */
  public Uni<Task> run(String name) {
    Schedule schedule = byName.get(name);
    if (schedule == null) {
      return Uni.createFrom().nullItem();
    }
    return claims.runNow(schedule).invoke(task -> metrics.scheduled(name));
  }
}
