package dev.souq.worker.queue;

import dev.souq.shared.messages.Task;

/**
 * A job as fetched: its exact text, which is how it is found again in the processing list, and
 * either the task it parsed to or why it cannot run.
 */
public record Job(String raw, Task task, Rejection rejection) {

  /** Why a job went to the dead letters without running. */
  public record Rejection(String reason, String detail) {}

  static Job valid(String raw, Task task) {
    return new Job(raw, task, null);
  }

  static Job rejected(String raw, Task partial, String reason, String detail) {
    return new Job(raw, partial, new Rejection(reason, detail));
  }

  /** Whether the job parsed to a task that may run. */
  public boolean runnable() {
    return rejection == null;
  }
}
