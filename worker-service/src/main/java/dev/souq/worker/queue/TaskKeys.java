package dev.souq.worker.queue;

import dev.souq.shared.messages.Task;

/** The Redis keys of the job queue (CONTRACT.md "Redis keys", plus the worker's own). */
public final class TaskKeys {
  private TaskKeys() {}

  /** The queue: producers LPUSH, workers pop from the right. */
  public static final String QUEUE = Task.QUEUE;

  /** Delayed jobs and retries, scored by due time in epoch milliseconds. */
  public static final String DELAYED = "tasks:delayed";

  /** Dead letters, newest first. */
  public static final String DEAD = "tasks:dead";

  /** Cluster-wide counters (processed, failed, retried, dead, per type). */
  public static final String STATS = "tasks:stats";

  /** The ids of workers that may hold jobs in a processing list. */
  public static final String WORKERS = "tasks:workers";

  /** A worker's in-flight jobs. */
  public static String processing(String workerId) {
    return "tasks:processing:" + workerId;
  }

  /** A worker's heartbeat: while it exists, the worker's processing list is its own. */
  public static String heartbeat(String workerId) {
    return "tasks:heartbeat:" + workerId;
  }

  /** The state of an idempotency key: {@code run:<job id>} while running, then {@code done:…}. */
  public static String idempotency(String key) {
    return "tasks:idempotency:" + key;
  }
}
