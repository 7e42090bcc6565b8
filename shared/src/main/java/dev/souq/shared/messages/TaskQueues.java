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

  /** What a queue's name may be. */
  public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

  private TaskQueues() {}

  /** The list of the queue {@code name} (valid by {@link #NAME}). */
  public static String key(String name) {
    return name == null || DEFAULT.equals(name) ? Task.QUEUE : "{" + Task.QUEUE + "}:queue:" + name;
  }
}
