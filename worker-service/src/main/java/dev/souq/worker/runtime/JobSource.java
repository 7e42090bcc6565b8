package dev.souq.worker.runtime;

import dev.souq.shared.messages.TaskQueues;
import dev.souq.shared.redis.LuaScript;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.queue.Admission;
import dev.souq.worker.queue.Queues;
import dev.souq.worker.queue.TaskKeys;
import dev.souq.worker.queue.WorkerIdentity;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Redis side of fetching: a batch per round trip from the queues while jobs wait, shared out by
 * weight ({@link Rotation}); when there are none, a wait of up to {@code worker.idle-poll} on
 * {@link TaskQueues#WAKE}, which producers push to after their jobs, then the queues again. Never a
 * blocking move off a queue: it would hand over the next job whole, and fetch.lua cuts one too big
 * for the heap (brpop mode, which blocks on the queues, cuts nothing). Jobs are bytes ({@code
 * toBytes()}, never a decoded String), so the outcome scripts remove exactly what was taken; each
 * comes with how often a reaper handed it back after a worker died.
 */
@Singleton
class JobSource {
  private static final LuaScript FETCH = LuaScript.fromClasspath("/lua/fetch.lua");
  private static final LuaScript STRANDED = LuaScript.fromClasspath("/lua/stranded.lua");

  /** brpop mode's wait on the queues. */
  private static final String BLOCK_SECONDS = "1";

  private final ReactiveRedisDataSource redis;
  private final TaskKeys keys;
  private final WorkerConfig config;
  private final WorkerIdentity identity;
  private final Queues queues;
  private final Admission admission;
  private final Rotation rotation;
  private final List<String> fetchKeys;
  private final Duration idlePoll;

  /** The last wait on the wake list failed: said once until one succeeds. */
  private final AtomicBoolean wakeFailing = new AtomicBoolean();

  private final String idleBlock;

  JobSource(
      ReactiveRedisDataSource redis,
      TaskKeys keys,
      WorkerConfig config,
      WorkerIdentity identity,
      Queues queues,
      Admission admission) {
    this.redis = redis;
    this.keys = keys;
    this.config = config;
    this.identity = identity;
    this.queues = queues;
    this.admission = admission;
    this.rotation = new Rotation(queues.all().stream().mapToInt(Queues.Named::weight).toArray());
    List<String> fetched =
        new ArrayList<>(List.of(identity.processing(), keys.deliveries(), keys.paused()));
    fetched.addAll(queues.keys());
    this.fetchKeys = List.copyOf(fetched);
    long idle = config.idlePoll().toMillis();
    if (idle < 10 || idle > 1000) {
      // 0 would block forever; more would keep an idle worker from a job nobody woke it for.
      throw new IllegalStateException(
          "worker.idle-poll must be from 10ms to 1s, not " + idle + "ms");
    }
    long heap = Runtime.getRuntime().maxMemory();
    if (config.maxJobBytes() > heap / 8) {
      // A job up to this size is read whole, and reading it takes several times its size: one
      // near the heap would fail every read with OutOfMemoryError, as a job bigger than it did.
      throw new IllegalStateException(
          "worker.max-job-bytes ("
              + config.maxJobBytes()
              + ") must be at most an eighth of the heap ("
              + heap / 8
              + " bytes here): raise -Xmx or lower the limit");
    }
    this.idlePoll = config.idlePoll();
    this.idleBlock = String.format(java.util.Locale.ROOT, "%.3f", idle / 1000.0);
  }

  /**
   * Up to {@code max} jobs of at most {@code bytes} together (but at least one, whatever its size),
   * or none after an idle wait (brpop mode: up to a second for one). brpop mode counts jobs only.
   */
  Uni<List<Delivery>> take(int max, long bytes) {
    Uni<List<Delivery>> batch =
        config.fetch() == WorkerConfig.FetchMode.RELIABLE
            ? FETCH.runRaw(redis, fetchKeys, fetchArgs(max, bytes)).map(this::counted)
            : redis
                .getRedis()
                .send(Request.cmd(Command.RPOP).arg(TaskKeys.QUEUE).arg(max))
                .map(Delivery::uncounted);
    return batch.chain(jobs -> jobs.isEmpty() ? block() : Uni.createFrom().item(jobs));
  }

  /**
   * Up to {@code max} jobs of this worker's processing list, oldest first, counted as fetch.lua
   * counts them. Only with nothing in flight and no fetch on the wire: then each is a job a fetch
   * whose answer was lost took and nobody runs.
   */
  Uni<List<Delivery>> stranded(int max) {
    return STRANDED
        .runRaw(
            redis,
            List.of(identity.processing(), keys.deliveries()),
            List.of(Integer.toString(max)))
        .map(Delivery::counted);
  }

  /**
   * The batch's size and bytes, the most bytes of a job and what is kept of a bigger one, then each
   * queue's name and share of it, in priority order.
   */
  private List<String> fetchArgs(int max, long bytes) {
    int[] shares = rotation.shares(max);
    List<String> args = new ArrayList<>(4 + 2 * shares.length);
    args.add(Integer.toString(max));
    args.add(Long.toString(bytes));
    args.add(largestJob());
    args.add(keptOfCut());
    List<Queues.Named> all = queues.all();
    for (int i = 0; i < shares.length; i++) {
      args.add(all.get(i).name());
      args.add(Integer.toString(shares[i]));
    }
    return args;
  }

  /**
   * The most bytes of a job the worker takes whole: a sixteenth of its heap (16 MB at ./run's
   * -Xmx256m), or worker.max-job-bytes if more. fetch.lua cuts a bigger one in Redis, so it cannot
   * exhaust the heap as it is read; one up to this size is read whole and buried by JobReader, its
   * dead letter naming it by its SHA-256, which Redis cannot compute.
   */
  private String largestJob() {
    return Long.toString(Math.max(config.maxJobBytes(), Runtime.getRuntime().maxMemory() / 16));
  }

  /** What a dead letter keeps of a job cut in Redis: as much as of any job (CutJob). */
  private String keptOfCut() {
    return Integer.toString(Math.min(config.maxJobBytes(), config.deadLetterJobBytes()));
  }

  /** fetch.lua's answer; what it saw paused tells {@link Admission} which types to check. */
  private List<Delivery> counted(Response response) {
    Set<String> paused = new HashSet<>();
    for (Response member : response.get(2)) {
      paused.add(member.toString());
    }
    admission.seen(Set.copyOf(paused));
    return Delivery.counted(response);
  }

  /**
   * Waits in Redis for the next job: for a producer's wake-up (or up to idle-poll) before the next
   * fetch, or on all queues in brpop mode.
   */
  private Uni<List<Delivery>> block() {
    if (config.fetch() == WorkerConfig.FetchMode.RELIABLE) {
      return redis
          .getRedis()
          .send(Request.cmd(Command.BLPOP).arg(TaskQueues.WAKE).arg(idleBlock))
          .map(
              woken -> {
                wakeFailing.set(false);
                return List.<Delivery>of();
              })
          // A wake-up is an optimisation: without it (the key unreadable), poll.
          .onFailure()
          .recoverWithUni(
              failure -> {
                if (wakeFailing.compareAndSet(false, true)) {
                  Log.warnf(
                      "Idle workers poll every %d ms, %s cannot be waited on: %s",
                      idlePoll.toMillis(), TaskQueues.WAKE, failure.toString());
                }
                return Uni.createFrom().item(List.<Delivery>of()).onItem().delayIt().by(idlePoll);
              });
    }
    Request request = Request.cmd(Command.BRPOP);
    queues.keys().forEach(request::arg);
    request.arg(BLOCK_SECONDS);
    return redis
        .getRedis()
        .send(request)
        // BRPOP answers [list, job].
        .map(
            popped ->
                popped == null
                    ? List.<Delivery>of()
                    : List.of(new Delivery(popped.get(1).toBytes(), 0)));
  }
}
