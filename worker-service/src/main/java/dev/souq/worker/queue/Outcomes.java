package dev.souq.worker.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.shared.json.JsonText;
import dev.souq.shared.messages.Task;
import dev.souq.shared.redis.LuaScript;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.handler.PermanentFailure;
import dev.souq.worker.handler.Snooze;
import dev.souq.worker.metrics.WorkerMetrics;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * What happens to a job after its run: done (ack), again later (retry with backoff, or snoozed as
 * its handler asked), or dead letter. Each is one atomic script that also takes the job out of this
 * worker's processing list, so a job is always in exactly one place; a write Redis refuses is tried
 * again until it lands.
 */
@Singleton
public class Outcomes {
  private final TaskKeys keys;
  private static final LuaScript SETTLE = LuaScript.fromClasspath("/lua/settle.lua");
  private static final int MAX_ERROR = 1000;

  private final ReactiveRedisDataSource redis;
  private final AckBatcher acks;
  private final WorkerIdentity identity;
  private final WorkerConfig config;
  private final WorkerMetrics metrics;
  private final ObjectMapper json;
  private final ScheduleOutcomes schedules;
  private final Backoff backoff;
  private final JobReports reports;

  Outcomes(
      ReactiveRedisDataSource redis,
      AckBatcher acks,
      WorkerIdentity identity,
      WorkerConfig config,
      WorkerMetrics metrics,
      ObjectMapper json,
      ScheduleOutcomes schedules,
      TaskKeys keys,
      JobReports reports) {
    this.keys = keys;
    this.redis = redis;
    this.acks = acks;
    this.identity = identity;
    this.config = config;
    this.metrics = metrics;
    this.json = json;
    this.schedules = schedules;
    this.backoff = new Backoff(config.backoff());
    this.reports = reports;
  }

  /** The claim mark of a running job with an idempotency key. */
  public static String runMark(Task task) {
    return "run:" + task.id();
  }

  /** The handler succeeded. */
  public Uni<Void> succeeded(Job job) {
    Task task = job.task();
    metrics.processed(task.type());
    return acks.ack(job, "processed:" + task.type(), task.idempotencyKey(), "done:" + task.id())
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

  /** Another job with this idempotency key is running: look again in a second. */
  public Uni<Void> later(Job job) {
    return schedule(job, job.task(), Instant.now().plusSeconds(1), List.of());
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
    int attempts = task.attempt() + 1;
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
    return schedule(
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
    return schedule(job, task.snoozed(due), due, List.of("snoozed", "snoozed:" + task.type()));
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
    List<Object> args = new ArrayList<>();
    args.add(job.raw());
    args.add(JsonText.write(json, letter));
    args.add(Integer.toString(config.deadLettersMax()));
    args.add(task == null ? "" : runMark(task));
    args.add(deliveryField(job));
    args.add("bury");
    args.addAll(List.of(counted));
    args.add("dead");
    if (task != null && task.type() != null && JobReader.TYPE.matcher(task.type()).matches()) {
      args.add("dead:" + task.type());
    }
    return write(keys(this.keys.dead(), task), args)
        .call(() -> schedules.record(task, ScheduleOutcomes.Outcome.DEAD, error));
  }

  private Uni<Void> schedule(Job job, Task next, Instant due, List<String> counted) {
    List<Object> args = new ArrayList<>();
    args.add(job.raw());
    args.add(JsonText.write(json, next));
    args.add(Long.toString(Task.dueMillis(due).toEpochMilli()));
    args.add(runMark(next));
    args.add(deliveryField(job));
    args.add("retry");
    args.addAll(counted);
    return write(keys(this.keys.delayed(), next), args);
  }

  private static String deliveryField(Job job) {
    return job.redeliveries() > 0 ? job.deliveryField() : "";
  }

  private List<String> keys(String target, Task task) {
    List<String> keys = new ArrayList<>(5);
    keys.add(identity.processing());
    keys.add(target);
    keys.add(this.keys.stats());
    keys.add(this.keys.deliveries());
    if (task != null && task.idempotencyKey() != null) {
      keys.add(this.keys.idempotency(task.idempotencyKey()));
    }
    return keys;
  }

  /** Settles the job once Redis takes it: until then it stays in the processing list. */
  private Uni<Void> write(List<String> keys, List<Object> args) {
    return SETTLE
        .runRaw(redis, keys, args)
        .onFailure()
        .invoke(f -> Log.warnf("Recording a job's outcome failed; retrying: %s", f.toString()))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(5))
        .indefinitely()
        .replaceWithVoid();
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
