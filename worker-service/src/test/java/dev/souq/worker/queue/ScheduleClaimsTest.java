package dev.souq.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.souq.shared.json.JsonText;
import dev.souq.shared.messages.Task;
import dev.souq.testing.SchemaCheck;
import dev.souq.testing.SouqTestResource;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * schedule-claim.lua against real Redis, on keys of the test's own (the app's scheduler drops names
 * it does not know from the real set, and its fetcher drains the real queue): what the script puts
 * on the queue is read back whole.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class ScheduleClaimsTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration HOUR = Duration.ofHours(1);

  @Inject ScheduleClaims claims;
  @Inject ReactiveRedisDataSource reactive;
  @Inject RedisDataSource redis;
  @Inject ObjectMapper json;
  @Inject TaskKeys taskKeys;

  private String ns;
  private ScheduleClaims.Keys keys;

  @BeforeEach
  void ownKeys() {
    ns = Jobs.name("claims");
    keys =
        new ScheduleClaims.Keys(
            ns + ":schedules", ns + ":queue", ns + ":stats", name -> ns + ":schedule:" + name);
  }

  @AfterEach
  void dropKeys() {
    List<String> all = redis.key().keys(ns + ":*");
    if (!all.isEmpty()) {
      redis.key().del(all.toArray(String[]::new));
    }
  }

  @Test
  void twoClaimersRacingForADueTickQueueItOnce() {
    Schedule schedule = schedule("race", HOUR);
    overdue(schedule, Duration.ofSeconds(5));
    // Two replicas, each looking twenty times at once.
    ScheduleClaims other = new ScheduleClaims(reactive, json, taskKeys);
    List<Uni<List<ScheduleClaims.Claimed>>> racing = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      racing.add(claims.claim(keys, List.of(schedule)));
      racing.add(other.claim(keys, List.of(schedule)));
    }
    long before = redisNow();
    List<ScheduleClaims.Claimed> won =
        Uni.join().all(racing).andFailFast().await().atMost(Duration.ofSeconds(30)).stream()
            .flatMap(List::stream)
            .toList();
    long after = redisNow();

    assertEquals(1, won.size(), "claimed: " + won);
    List<JsonNode> queued = queued();
    assertEquals(1, queued.size());
    long tick = won.get(0).tick();
    assertTrue(tick == aligned(before, HOUR) || tick == aligned(after, HOUR), "tick " + tick);
    assertEquals(schedule.tickKey(tick), queued.get(0).get("idempotency_key").asText());
    assertEquals(tick + HOUR.toMillis(), next(schedule));
    assertEquals("1", state(schedule).get("enqueued"));
    assertEquals("1", redis.hash(String.class).hget(keys.stats(), "scheduled:test_flaky"));
  }

  @Test
  void afterALongGapOnlyTheLatestTickRuns() {
    Schedule schedule = schedule("gap", MINUTE);
    // Down for three days: some 4,300 ticks missed.
    overdue(schedule, Duration.ofDays(3));

    long before = redisNow();
    List<ScheduleClaims.Claimed> first = claim(schedule);
    long after = redisNow();
    for (int i = 0; i < 5; i++) {
      assertEquals(List.of(), claim(schedule), "claimed again");
    }

    assertEquals(1, first.size());
    assertEquals(1, queued().size());
    long tick = first.get(0).tick();
    assertTrue(tick == aligned(before, MINUTE) || tick == aligned(after, MINUTE), "tick " + tick);
    assertTrue(next(schedule) > after, "the next tick is in the past");
    assertEquals(tick + MINUTE.toMillis(), next(schedule));
  }

  @Test
  void aTicksJobIsAnEnvelopeWithTheScheduleAndItsAlignedTickInTheKey() {
    Schedule schedule = schedule("envelope", HOUR);
    overdue(schedule, HOUR);

    long tick = claim(schedule).get(0).tick();

    assertEquals(0, tick % HOUR.toMillis(), "not on the hour: " + tick);
    String raw = redis.list(String.class).lindex(keys.queue(), 0);
    SchemaCheck.assertValid(Task.SCHEMA, raw);
    Job job = new JobReader(json, 1 << 20).read(raw.getBytes(StandardCharsets.UTF_8));
    assertTrue(job.runnable(), String.valueOf(job.rejection()));
    Task task = job.task();
    assertEquals("test_flaky", task.type());
    assertEquals("schedule-" + schedule.name() + "-" + tick, task.idempotencyKey());
    assertEquals(schedule.name(), task.payload().get("schedule").asText());
    assertEquals(schedule.name() + "-run", task.payload().get("name").asText());
    assertEquals(0, task.attempt());
    assertEquals(task.id(), state(schedule).get("last_job_id"));
    assertEquals(Long.toString(tick), state(schedule).get("last_tick"));
    // Exactly what Jackson writes for the whole envelope.
    assertEquals(JsonText.write(json, task), raw);
  }

  @Test
  void aScheduleSeenForTheFirstTimeWaitsForItsNextTick() {
    Schedule schedule = schedule("first", MINUTE);

    long before = redisNow();
    assertEquals(List.of(), claim(schedule));
    long after = redisNow();

    assertEquals(0, queued().size());
    long next = next(schedule);
    assertEquals(0, next % MINUTE.toMillis());
    assertTrue(next >= before && next <= after + MINUTE.toMillis(), "next " + next);
    assertEquals(Long.toString(MINUTE.toMillis()), state(schedule).get("every"));
  }

  @Test
  void aChangedIntervalTakesEffectAtTheNextTickOfTheNewOne() {
    Schedule daily = schedule("changed", Duration.ofDays(1));
    claim(daily);
    Schedule minutely = schedule("changed", MINUTE);

    assertEquals(List.of(), claim(minutely));
    long after = redisNow();

    assertEquals(0, queued().size());
    assertTrue(next(minutely) <= after + MINUTE.toMillis(), "still on the daily tick");
    assertEquals(0, next(minutely) % MINUTE.toMillis());
    assertEquals(Long.toString(MINUTE.toMillis()), state(minutely).get("every"));
  }

  @Test
  void duringARollingDeployTheReplicaStartedLastSetsTheIntervalAndOlderOnesLeaveItAlone() {
    long now = System.currentTimeMillis();
    ScheduleClaims older = new ScheduleClaims(reactive, json, taskKeys, now - HOUR.toMillis());
    ScheduleClaims newer = new ScheduleClaims(reactive, json, taskKeys, now);
    Schedule hourly = schedule("rolling", HOUR);
    Schedule minutely = schedule("rolling", MINUTE);
    claim(older, hourly);
    claim(newer, minutely);
    long next = next(minutely);

    // The old replicas look again and again: they no longer reset the interval or its next tick.
    for (int i = 0; i < 3; i++) {
      assertEquals(List.of(), claim(older, hourly));
    }
    assertEquals(Long.toString(MINUTE.toMillis()), state(minutely).get("every"));
    assertEquals(next, next(minutely));

    // A minutely tick falls due: the new replica queues it, an old one would not.
    overdue(minutely, Duration.ofSeconds(1));
    assertEquals(List.of(), claim(older, hourly));
    assertEquals(1, claim(newer, minutely).size());
  }

  @Test
  void anIntervalWhoseNewerReplicasAreGoneIsTakenBackOnceTheirLeaseLapses() {
    long now = System.currentTimeMillis();
    ScheduleClaims older = new ScheduleClaims(reactive, json, taskKeys, now - HOUR.toMillis());
    ScheduleClaims newer = new ScheduleClaims(reactive, json, taskKeys, now);
    Schedule hourly = schedule("abandoned", HOUR);
    claim(newer, schedule("abandoned", MINUTE));
    // No replica of the newer interval looked for longer than the lease.
    redis
        .hash(String.class)
        .hset(keys.state().apply("abandoned"), "every_lease", "" + (redisNow() - 1));

    claim(older, hourly);

    assertEquals(Long.toString(HOUR.toMillis()), state(hourly).get("every"));
    assertEquals(0, next(hourly) % HOUR.toMillis());
  }

  @Test
  void aTickIsNeverQueuedAgainNorOneOlderThanTheLast() {
    Schedule schedule = schedule("backwards", MINUTE);
    overdue(schedule, Duration.ofSeconds(1));
    // Redis's clock stepped back (a failover to a replica whose clock is behind): the last tick
    // queued is ahead of the one due now.
    long last = aligned(redisNow(), MINUTE) + 5 * MINUTE.toMillis();
    redis.hash(String.class).hset(keys.state().apply(schedule.name()), "last_tick", "" + last);

    assertEquals(List.of(), claim(schedule));

    assertEquals(0, queued().size());
    assertEquals(last + MINUTE.toMillis(), next(schedule));
  }

  @Test
  void aNameNoLongerConfiguredIsNotClaimedAndIsDroppedOnceADayOverdue() {
    Schedule kept = schedule("kept", MINUTE);
    Schedule removedLately = schedule("removed_lately", MINUTE);
    Schedule removedLongAgo = schedule("removed_long_ago", MINUTE);
    overdue(removedLately, Duration.ofMinutes(5));
    overdue(removedLongAgo, Duration.ofHours(25));

    assertEquals(List.of(), claim(kept));

    assertEquals(0, queued().size());
    assertEquals(
        List.of(kept.name(), removedLately.name()),
        redis.sortedSet(String.class).zrange(keys.schedules(), 0, -1).stream().sorted().toList());
  }

  /** A schedule of test_flaky jobs; payload.name is its name + "-run". */
  private Schedule schedule(String name, Duration every) {
    ObjectNode payload = json.createObjectNode().put("name", name + "-run");
    return new Schedule(name, "test_flaky", every, payload, true);
  }

  /** The state a replica left: {@code schedule}'s next tick {@code by} ago. */
  private void overdue(Schedule schedule, Duration by) {
    long every = schedule.every().toMillis();
    long due = aligned(redisNow() - by.toMillis(), schedule.every());
    redis.sortedSet(String.class).zadd(keys.schedules(), due, schedule.name());
    redis
        .hash(String.class)
        .hset(
            keys.state().apply(schedule.name()),
            Map.of("every", Long.toString(every), "last_tick", Long.toString(due - every)));
  }

  private List<ScheduleClaims.Claimed> claim(Schedule schedule) {
    return claim(claims, schedule);
  }

  private List<ScheduleClaims.Claimed> claim(ScheduleClaims by, Schedule schedule) {
    return by.claim(keys, List.of(schedule)).await().atMost(Duration.ofSeconds(10));
  }

  private List<JsonNode> queued() {
    return redis.list(String.class).lrange(keys.queue(), 0, -1).stream().map(this::tree).toList();
  }

  private long next(Schedule schedule) {
    var score = redis.sortedSet(String.class).zscore(keys.schedules(), schedule.name());
    assertTrue(score.isPresent(), "not in the set");
    return (long) score.getAsDouble();
  }

  private Map<String, String> state(Schedule schedule) {
    return redis.hash(String.class).hgetall(keys.state().apply(schedule.name()));
  }

  /** Redis's clock, which the script goes by, in epoch milliseconds. */
  private long redisNow() {
    var time = redis.execute("TIME");
    return time.get(0).toLong() * 1000 + time.get(1).toLong() / 1000;
  }

  private static long aligned(long millis, Duration every) {
    return millis - millis % every.toMillis();
  }

  private JsonNode tree(String raw) {
    try {
      return json.readTree(raw);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
