package dev.souq.worker.runtime;

import dev.souq.shared.redis.LuaScript;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.queue.Admission;
import dev.souq.worker.queue.Digests;
import dev.souq.worker.queue.Queues;
import dev.souq.worker.queue.TaskKeys;
import dev.souq.worker.queue.WorkerIdentity;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The Redis side of fetching: a batch per round trip from the queues while jobs wait, shared out by
 * weight ({@link Rotation}), else BLMOVE (BRPOP in brpop mode) blocking for a second, or for {@code
 * worker.idle-poll} on the first queue when there are several. Jobs are bytes ({@code toBytes()},
 * never a decoded String), so the outcome scripts remove exactly what was taken; each comes with
 * how often a reaper handed it back after a worker died.
 */
@Singleton
class JobSource {
  private static final LuaScript FETCH = LuaScript.fromClasspath("/lua/fetch.lua");
  private static final LuaScript STRANDED = LuaScript.fromClasspath("/lua/stranded.lua");
  private static final String BLOCK_SECONDS = "1";

  private final ReactiveRedisDataSource redis;
  private final TaskKeys keys;
  private final WorkerConfig config;
  private final WorkerIdentity identity;
  private final Queues queues;
  private final Admission admission;
  private final Rotation rotation;
  private final List<String> fetchKeys;
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
      // 0 would block forever; more than the Redis client's timeout would strand the job BLMOVE
      // moves after the client gave up waiting.
      throw new IllegalStateException(
          "worker.idle-poll must be from 10ms to 1s, not " + idle + "ms");
    }
    // One queue: block on it for a second. Several: block on the first only briefly, then look
    // at all of them again.
    this.idleBlock =
        queues.all().size() == 1
            ? BLOCK_SECONDS
            : String.format(java.util.Locale.ROOT, "%.3f", config.idlePoll().toMillis() / 1000.0);
  }

  /**
   * Up to {@code max} jobs of at most {@code bytes} together (but at least one, whatever its size),
   * waiting in Redis up to a second for one when there are none. brpop mode counts jobs only.
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
   * Waits in Redis for the next job: on the first queue the last fetch did not see paused (BLMOVE),
   * or on all queues in brpop mode.
   */
  private Uni<List<Delivery>> block() {
    Request request;
    if (config.fetch() == WorkerConfig.FetchMode.RELIABLE) {
      String first = firstUnpaused();
      if (first == null) {
        // Everything is paused: look again later rather than take a job from a paused queue.
        return Uni.createFrom().item(List.<Delivery>of()).onItem().delayIt().by(config.idlePoll());
      }
      request =
          Request.cmd(Command.BLMOVE)
              .arg(first)
              .arg(identity.processing())
              .arg("RIGHT")
              .arg("LEFT")
              .arg(idleBlock);
    } else {
      request = Request.cmd(Command.BRPOP);
      queues.keys().forEach(request::arg);
      request.arg(BLOCK_SECONDS);
    }
    boolean popped = config.fetch() == WorkerConfig.FetchMode.BRPOP;
    return redis
        .getRedis()
        .send(request)
        .chain(
            response -> {
              if (response == null) {
                return Uni.createFrom().item(List.<Delivery>of());
              }
              // BRPOP answers [list, job]; BLMOVE answers the job.
              return popped
                  ? Uni.createFrom().item(List.of(new Delivery(response.get(1).toBytes(), 0)))
                  : redeliveries(response.toBytes()).call(this::refreshPaused).map(List::of);
            });
  }

  /**
   * The list to block on, null if all are paused. A queue paused since the last fetch may still
   * give one job this way: a pause holds back what has not been taken yet.
   */
  private String firstUnpaused() {
    Set<String> paused = admission.paused();
    return queues.all().stream()
        .filter(q -> !paused.contains(TaskKeys.pausedQueue(q.name())))
        .map(Queues.Named::key)
        .findFirst()
        .orElse(null);
  }

  /**
   * What is paused now, for a job BLMOVE took after blocking a while: a pause issued meanwhile must
   * hold it back. Only on this idle path; a failure keeps what the last fetch saw.
   */
  private Uni<Void> refreshPaused() {
    return redis
        .set(String.class)
        .smembers(keys.paused())
        .invoke(paused -> admission.seen(Set.copyOf(paused)))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  /** A job BLMOVE took, with its delivery count (one lookup: this path runs only when idle). */
  private Uni<Delivery> redeliveries(byte[] job) {
    return redis
        .getRedis()
        .send(Request.cmd(Command.HGET).arg(keys.deliveries()).arg(Digests.sha1(job)))
        .map(count -> new Delivery(job, count == null ? 0 : count.toInteger()))
        // The job is in the processing list already: run it rather than strand it there.
        .onFailure()
        .recoverWithItem(new Delivery(job, 0));
  }
}
