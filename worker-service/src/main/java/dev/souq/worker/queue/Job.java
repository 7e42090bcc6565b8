package dev.souq.worker.queue;

import dev.souq.shared.messages.Task;

/**
 * A job as fetched: its exact bytes, which is how it is found again in the processing list (they
 * need not be UTF-8), how often a reaper handed it back after its worker died with it in flight,
 * either the task it parsed to or why it cannot run, and the mark of its idempotency key's claim
 * once this delivery holds it (null before, and for a job without a key).
 */
public record Job(byte[] raw, int redeliveries, Task task, Rejection rejection, String claim) {

  /** Why a job went to the dead letters without running. */
  public record Rejection(String reason, String detail) {}

  static Job valid(byte[] raw, Task task) {
    return new Job(raw, 0, task, null, null);
  }

  static Job rejected(byte[] raw, Task partial, String reason, String detail) {
    return new Job(raw, 0, partial, new Rejection(reason, detail), null);
  }

  /** This job as delivered after {@code count} hand-backs by a reaper. */
  public Job redelivered(int count) {
    return new Job(raw, count, task, rejection, claim);
  }

  /** This job once this delivery claimed its idempotency key with {@code mark}. */
  public Job claimed(String mark) {
    return new Job(raw, redeliveries, task, rejection, mark);
  }

  /** Whether the job parsed to a task that may run. */
  public boolean runnable() {
    return rejection == null;
  }

  /** The field of this job's delivery count in tasks:deliveries. */
  public String deliveryField() {
    return Digests.sha1(raw);
  }
}
