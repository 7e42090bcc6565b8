package dev.souq.worker.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.shared.json.JsonText;
import dev.souq.shared.messages.Task;
import dev.souq.shared.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Puts schedules' jobs on the queue: each due tick once across all replicas (one script checks the
 * tick is due, moves the next tick on and queues the job), or one job now by hand.
 */
@Singleton
public class ScheduleClaims {
  private static final LuaScript CLAIM = LuaScript.fromClasspath("/lua/schedule-claim.lua");
  private static final LuaScript RUN = LuaScript.fromClasspath("/lua/schedule-run.lua");

  /** A tick queued: the schedule's name and the tick in epoch milliseconds. */
  public record Claimed(String schedule, long tick) {}

  /** The keys the claim script uses; tests give it keys of their own. */
  record Keys(String schedules, String queue, String stats, UnaryOperator<String> state) {}

  private final ReactiveRedisDataSource redis;
  private final ObjectMapper json;
  private final TaskKeys keys;
  private final long started;

  @Inject
  ScheduleClaims(ReactiveRedisDataSource redis, ObjectMapper json, TaskKeys keys) {
    this(redis, json, keys, System.currentTimeMillis());
  }

  /**
   * Claims for a replica started at {@code started} (epoch ms): where replicas disagree on a
   * schedule's interval, the one started last decides.
   */
  ScheduleClaims(ReactiveRedisDataSource redis, ObjectMapper json, TaskKeys keys, long started) {
    this.started = started;
    this.redis = redis;
    this.json = json;
    this.keys = keys;
  }

  /** Queues the due ticks of {@code schedules}, the enabled ones; the ticks queued. */
  public Uni<List<Claimed>> claimDue(List<Schedule> schedules) {
    return claim(
        new Keys(keys.schedules(), TaskKeys.QUEUE, keys.stats(), keys::schedule), schedules);
  }

  Uni<List<Claimed>> claim(Keys at, List<Schedule> schedules) {
    List<String> scriptKeys = new ArrayList<>(List.of(at.schedules(), at.queue(), at.stats()));
    List<String> args =
        new ArrayList<>(List.of(Integer.toString(schedules.size()), Long.toString(started)));
    for (Schedule schedule : schedules) {
      String id = UUID.randomUUID().toString();
      scriptKeys.add(at.state().apply(schedule.name()));
      args.addAll(
          List.of(
              schedule.name(),
              Long.toString(schedule.every().toMillis()),
              schedule.type(),
              upToTick(schedule, id),
              id));
    }
    return CLAIM.run(redis, scriptKeys, args).map(ScheduleClaims::claimed);
  }

  /**
   * The tick's job up to the tick itself, which only the script knows: the envelope with its
   * idempotency key last, open after {@code schedule-<name>-}. The script appends the tick and
   * closes it, giving what Jackson writes for the whole envelope.
   */
  private String upToTick(Schedule schedule, String id) {
    String job =
        JsonText.write(
            json, Task.of(id, schedule.type(), schedule.jobPayload(), Instant.now(), null));
    return job.substring(0, job.length() - 1)
        + ",\"idempotency_key\":\""
        + schedule.tickKeyPrefix();
  }

  private static List<Claimed> claimed(Response response) {
    List<Claimed> claimed = new ArrayList<>();
    for (int i = 0; i + 1 < response.size(); i += 2) {
      claimed.add(new Claimed(response.get(i).toString(), response.get(i + 1).toLong()));
    }
    return claimed;
  }

  /** Queues one job of {@code schedule} now, beside its ticks; the job as queued. */
  public Uni<Task> runNow(Schedule schedule) {
    String id = UUID.randomUUID().toString();
    Task task =
        Task.of(id, schedule.type(), schedule.jobPayload(), Instant.now(), schedule.runKey(id));
    return RUN.run(
            redis,
            List.of(TaskKeys.QUEUE, keys.schedule(schedule.name()), keys.stats()),
            List.of(JsonText.write(json, task), id, schedule.type()))
        .replaceWith(task);
  }
}
