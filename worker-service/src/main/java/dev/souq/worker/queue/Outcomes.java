package dev.souq.worker.queue;

import dev.souq.shared.messages.Task;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.handler.PermanentFailure;
import dev.souq.worker.handler.Snooze;
import dev.souq.worker.metrics.WorkerMetrics;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * What happens to a job after its run: done (ack), again later (retry with backoff, or snoozed as
 * its handler asked), or dead letter. Each is one atomic script that also takes the job out of this
 * worker's processing list ({@link AckBatcher}, {@link Settlement}), so a job is always in exactly
 * one place.
 */
@Singleton
public class Outcomes {
  private static final int MAX_ERROR = 1000;

  private final AckBatcher acks;
  private final Settlement settlement;
  private final WorkerIdentity identity;
  private final WorkerConfig config;
  private final WorkerMetrics metrics;
  private final ScheduleOutcomes schedules;
  private final Backoff backoff;
  private final JobReports reports;

  Outcomes(
      AckBatcher acks,
      Settlement settlement,
      WorkerIdentity identity,
      WorkerConfig config,
      WorkerMetrics metrics,
      ScheduleOutcomes schedules,
      JobReports reports) {
    this.acks = acks;
    this.settlement = settlement;
    this.identity = identity;
    this.config = config;
    this.metrics = metrics;
    this.schedules = schedules;
    this.backoff = new Backoff(config.backoff());
    this.reports = reports;
  }

  /** The handler succeeded. */
  public Uni<Void> succeeded(Job job) {
    Task task = job.task();
    metrics.processed(task.type());
    return acks.ack(job, "processed:" + task.type(), task.idempotencyKey(), Claims.doneMark(task))
        .call(() -> schedules.record(task, ScheduleOutcomes.Outcome.SUCCEEDED, null));
  }

  /** A job with this idempotency key has run already: drop this one. */
  public Uni<Void> duplicate(Job job) {
    metrics.duplicate();
    Log.debugf(
        "Dropped job %s: idempotency key %s ran already",
        job.task().id(), job.task().idempotencyKey());
    return acks.ack(job, "duplicates", null, null);
  }

  /** Another delivery with this idempotency key is running: look again in a second. */
  public Uni<Void> later(Job job) {
    metrics.busy(job.task().type());
    return settlement.retry(job, job.task(), Instant.now().plusSeconds(1), List.of());
  }

  /**
   * The handler failed: retry after a backoff, or dead letter if out of attempts or permanent; a
   * {@link Snooze} is no failure, the job waits as long as it asked, its attempts unspent.
   */
  public Uni<Void> failed(Job job, Throwable failure) {
    if (failure instanceof Snooze snooze) {
      return snoozed(job, snooze);
    }
    Task task = job.task();
    String error = describe(failure);
    metrics.failed(task.type());
    // Saturated: a producer may push any attempt up to Integer.MAX_VALUE.
    int attempts = task.attempt() == Integer.MAX_VALUE ? task.attempt() : task.attempt() + 1;
    if (failure instanceof PermanentFailure) {
      return bury(job, "permanent_failure", error, attempts, "failed")
          .invoke(() -> reports.failed(task, attempts));
    }
    if (attempts >= config.maxAttempts()) {
      return bury(job, "attempts_exhausted", error, attempts, "failed")
          .invoke(() -> reports.failed(task, attempts));
    }
    Instant now = Instant.now();
    Instant due = Task.dueMillis(now.plus(backoff.delay(attempts)));
    metrics.retried(task.type());
    Log.debugf(
        "Job %s (%s) failed, attempt %d, again at %s: %s",
        task.id(), task.type(), attempts, due, error);
    return settlement
        .retry(
            job,
            task.failed(error, now, due),
            due,
            List.of("failed", "retried", "retried:" + task.type()))
        .call(() -> schedules.record(task, ScheduleOutcomes.Outcome.FAILED, error))
        .invoke(() -> reports.retrying(task, attempts, due));
  }

  private Uni<Void> snoozed(Job job, Snooze snooze) {
    Task task = job.task();
    Instant due = Task.dueMillis(Instant.now().plus(snooze.delay()));
    metrics.snoozed(task.type());
    Log.debugf(
        "Job %s (%s) snoozed until %s: %s", task.id(), task.type(), due, snooze.getMessage());
    return settlement.retry(
        job, task.snoozed(due), due, List.of("snoozed", "snoozed:" + task.type()));
  }

  /** Dead letter without a run: the job cannot run (bad input, no handler). */
  public Uni<Void> reject(Job job, String reason, String error) {
    return bury(job, reason, error, job.task() == null ? 0 : job.task().attempt());
  }

  /** Dead letter without a run: every worker that ran this job died with it in flight. */
  public Uni<Void> crashedWorker(Job job) {
    int runs = (job.task() == null ? 0 : job.task().attempt()) + job.redeliveries();
    String error =
        "The worker running this job died "
            + job.redeliveries()
            + " times (worker.max-deliveries is "
            + config.maxDeliveries()
            + ")";
    return bury(job, "crashed_worker", error, runs).invoke(() -> reports.failed(job.task(), runs));
  }

  private Uni<Void> bury(Job job, String reason, String error, int attempts, String... counted) {
    Task task = job.task();
    DeadLetter letter =
        DeadLetter.of(
            UUID.randomUUID().toString(),
            reason,
            error,
            task == null ? null : task.id(),
            task == null ? null : task.type(),
            attempts,
            task == null ? null : task.enqueuedAt(),
            identity.id(),
            job.raw(),
            config.deadLetterJobBytes());
    metrics.dead(reason);
    Log.infof(
        "Dead letter %s: %s (job %s, type %s)", letter.id(), reason, letter.jobId(), letter.type());
    return settlement
        .bury(job, letter, List.of(counted))
        .call(() -> schedules.record(task, ScheduleOutcomes.Outcome.DEAD, error));
  }

  /** A failure as one line for the dead letter: its message, never a stack trace. */
  static String describe(Throwable failure) {
    String message =
        failure instanceof TimeoutException
            ? "Timed out: " + failure.getMessage()
            : failure.getMessage() == null
                ? failure.getClass().getSimpleName()
                : failure.getMessage();
    return message.length() > MAX_ERROR ? message.substring(0, MAX_ERROR) + "…" : message;
  }
}
