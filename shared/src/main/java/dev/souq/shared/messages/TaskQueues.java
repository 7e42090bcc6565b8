package dev.souq.shared.messages;

import java.util.regex.Pattern;

/**
 * The named job queues and their Redis lists. {@code default} is {@link Task#QUEUE} itself, so a
 * bare {@code LPUSH tasks} lands there as it always did; any other queue is the list {@code
 * {tasks}:queue:<name>}, hash-tagged in every mode so that a producer need not know whether the
 * worker runs on Redis Cluster (the tag keeps it in the slot of {@code tasks}).
 */
public final class TaskQueues {
  /** The queue of a job that names none. */
  public static final String DEFAULT = "default";

  /**
   * The list an idle worker waits on, never a queue: a blocking move off a queue would hand it the
   * next job whole, however big, where its fetch script cuts one too big for its heap. A producer
   * pushes a token after its jobs to wake an idle worker at once ({@code
   * dev.souq.shared.redis.WorkerWakeup}); without one, an idle worker finds them within {@code
   * worker.idle-poll}. Hash-tagged like the named queues.
   */
  public static final String WAKE = "{" + Task.QUEUE + "}:wake";

  /** The most tokens {@link #WAKE} keeps while every worker is busy. */
  public static final int WAKE_KEPT = 16;

  /** What a queue's name may be. */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

  private TaskQueues() {}

  /** The list of the queue {@code name} (valid by {@link #NAME}). */
  public static String key(String name) {
    return name == null || DEFAULT.equals(name) ? Task.QUEUE : "{" + Task.QUEUE + "}:queue:" + name;
  }
}
