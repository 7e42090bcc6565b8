package dev.souq.worker.queue;

import dev.souq.shared.messages.Task;
import dev.souq.shared.redis.RedisTopology;
import dev.souq.worker.config.WorkerConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * The Redis keys of the job queue (docs/contract.md "Redis keys", plus the worker's own). With
 * {@code worker.cluster-keys}, which is on by itself on a Redis Cluster, the worker's keys start
 * with the hash tag {@code {tasks}} instead of {@code tasks}: on Redis Cluster they then share the
 * slot of {@code tasks} itself, which the worker's scripts need (a script may only touch keys of
 * one slot). Producers keep pushing to {@code tasks}; those that write {@code tasks:delayed}
 * directly must use {@code {tasks}:delayed} then.
 */
@Singleton
public class TaskKeys {
  /** The queue: producers LPUSH, workers pop from the right. The same name in both modes. */
  public static final String QUEUE = Task.QUEUE;

  private final String prefix;

  @Inject
  TaskKeys(WorkerConfig config, RedisTopology topology) {
    this(clusterKeys(config.clusterKeys(), topology));
  }

  /** The keys for Redis Cluster (hash-tagged) or as docs/contract.md names them. */
  public TaskKeys(boolean cluster) {
    this.prefix = cluster ? "{" + QUEUE + "}" : QUEUE;
  }

  /** The hash-tagged names on a Cluster unless set; refuses the contract's names there. */
  static boolean clusterKeys(Optional<Boolean> configured, RedisTopology topology) {
    if (topology.cluster() && !configured.orElse(true)) {
      throw new IllegalStateException(
          "WORKER_CLUSTER_KEYS=false cannot work on a Redis Cluster: the worker's scripts need"
              + " its keys in the slot of tasks. Leave it unset there.");
    }
    return configured.orElse(topology.cluster());
  }

  /** Delayed jobs and retries, scored by due time in epoch milliseconds. */
  public String delayed() {
    return prefix + ":delayed";
  }

  /** Dead letters, newest first. */
  public String dead() {
    return prefix + ":dead";
  }

  /** Cluster-wide counters (processed, failed, retried, dead, per type). */
  public String stats() {
    return prefix + ":stats";
  }

  /** The ids of workers that may hold jobs in a processing list. */
  public String workers() {
    return prefix + ":workers";
  }

  /** A worker's in-flight jobs. */
  public String processing(String workerId) {
    return prefix + ":processing:" + workerId;
  }

  /** A worker's heartbeat: while it exists, the worker's processing list is its own. */
  public String heartbeat(String workerId) {
    return prefix + ":heartbeat:" + workerId;
  }

  /**
   * How often each job was handed back by a reaper after its worker died with it in flight, by the
   * SHA-1 of the job's bytes: a job that kills every worker is dead-lettered after {@code
   * worker.max-deliveries}.
   */
  public String deliveries() {
    return prefix + ":deliveries";
  }

  /**
   * The state of an idempotency key: {@code run@<worker id>#<n>} while a delivery runs ({@link
   * Claims}), then {@code done:<job id>}.
   */
  public String idempotency(String key) {
    return prefix + ":idempotency:" + key;
  }

  /** What is paused: members {@link #pausedQueue} and {@link #pausedType}. */
  public String paused() {
    return prefix + ":paused";
  }

  private static final String PAUSED_TYPE = "type:";

  /** The member of {@link #paused()} for a paused queue. */
  public static String pausedQueue(String name) {
    return "queue:" + name;
  }

  /** The member of {@link #paused()} for a paused job type. */
  public static String pausedType(String type) {
    return PAUSED_TYPE + type;
  }

  /** The job type a member of {@link #paused()} names, or null if it names a queue. */
  public static String typeOf(String member) {
    return member.startsWith(PAUSED_TYPE) ? member.substring(PAUSED_TYPE.length()) : null;
  }

  /** Jobs of limited types in flight across all replicas: type to count. */
  public String inflight() {
    return prefix + ":inflight";
  }

  /** A worker's share of {@link #inflight()}, given back by the reaper if it dies. */
  public String slots(String workerId) {
    return prefix + ":slots:" + workerId;
  }

  /** Jobs of a type held back while it is paused or at its limit, newest first. */
  public String held(String type) {
    return prefix + ":held:" + type;
  }

  /** A paced type's GCRA state: the time its next job may start. */
  public String rate(String type) {
    return prefix + ":rate:" + type;
  }

  /** A paced type's tickets: jobs sent to wait for their turn, by SHA-1, scored by that time. */
  public String paced(String type) {
    return prefix + ":paced:" + type;
  }

  /** The schedules' next ticks: a sorted set, name scored by the tick's epoch milliseconds. */
  public String schedules() {
    return prefix + ":schedules";
  }

  /** A schedule's state (a hash): its interval, last tick, last job and that job's outcome. */
  public String schedule(String name) {
    return prefix + ":schedule:" + name;
  }
}
