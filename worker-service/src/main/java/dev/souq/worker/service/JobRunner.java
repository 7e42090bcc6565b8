package dev.souq.worker.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.shared.messages.Task;
import dev.souq.shared.redis.Deadline;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.handler.HandlerRegistry;
import dev.souq.worker.metrics.WorkerMetrics;
import dev.souq.worker.queue.Admission;
import dev.souq.worker.queue.Claims;
import dev.souq.worker.queue.Job;
import dev.souq.worker.queue.JobReader;
import dev.souq.worker.queue.Outcomes;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs one fetched job to its outcome: read it, find its handler, let {@link Admission} hold it
 * back if its type is paused or at its limit, claim its idempotency key, run the handler within its
 * time limit, and record done, retry or dead letter. The returned Uni never fails: every path ends
 * in an outcome Redis has taken.
 */
@Singleton
public class JobRunner {
  private final JobReader reader;
  private final HandlerRegistry handlers;
  private final Outcomes outcomes;
  private final WorkerConfig config;
  private final Admission admission;
  private final JobSpans spans;
  private final WorkerMetrics metrics;
  private final Claims claims;
  private final Set<CompletableFuture<Boolean>> late = ConcurrentHashMap.newKeySet();

  JobRunner(
      ObjectMapper json,
      HandlerRegistry handlers,
      Outcomes outcomes,
      WorkerConfig config,
      Admission admission,
      JobSpans spans,
      WorkerMetrics metrics,
      Claims claims) {
    this.claims = claims;
    this.spans = spans;
    this.metrics = metrics;
    this.admission = admission;
    this.reader = new JobReader(json, config.maxJobBytes());
    this.handlers = handlers;
    this.outcomes = outcomes;
    this.config = config;
  }

  /**
   * Runs the job that {@code raw} is, handed back {@code redeliveries} times by a reaper after its
   * worker died: after {@code worker.max-deliveries} such deaths it is a dead letter, not a run.
   */
  public Uni<Void> run(byte[] raw, int redeliveries) {
    Job job = reader.read(raw).redelivered(redeliveries);
    if (redeliveries >= config.maxDeliveries()) {
      return outcomes.crashedWorker(job);
    }
    if (!job.runnable()) {
      return outcomes.reject(job, job.rejection().reason(), job.rejection().detail());
    }
    Task task = job.task();
    HandlerRegistry.Handler handler = handlers.find(task.type());
    if (handler == null) {
      return outcomes.reject(job, "unknown_type", "No handler for type " + task.type());
    }
    Span span = spans.start(task);
    Uni<Void> run = admitted(job, handler, span);
    return span == null ? run : run.eventually(() -> span.end());
  }

  /** Runs the job once {@link Admission} lets it (paused and limited types wait). */
  private Uni<Void> admitted(Job job, HandlerRegistry.Handler handler, Span span) {
    if (!admission.applies(job.task().type())) {
      return start(job, handler, span);
    }
    return admission
        .admit(job)
        .chain(
            verdict ->
                switch (verdict) {
                  case HELD, PACED, GONE -> {
                    JobSpans.outcome(span, verdict.name().toLowerCase(Locale.ROOT));
                    yield Uni.createFrom().voidItem();
                  }
                  case RUN -> start(job, handler, span);
                  case SLOT -> start(job, handler, span).eventually(() -> admission.release(job));
                });
  }

  /** Runs an admitted job: once its idempotency key (if any) lets it. */
  private Uni<Void> start(Job job, HandlerRegistry.Handler handler, Span span) {
    Task task = job.task();
    if (task.idempotencyKey() == null) {
      return invoke(job, handler, span);
    }
    String mark = claims.mark();
    return claims
        .claim(task, mark, lease(handler))
        .chain(
            state ->
                switch (state) {
                  case "duplicate" -> {
                    JobSpans.outcome(span, state);
                    yield outcomes.duplicate(job);
                  }
                  case "busy" -> {
                    JobSpans.outcome(span, state);
                    yield outcomes.later(job);
                  }
                  default -> invoke(job.claimed(mark), handler, span);
                });
  }

  /**
   * Runs the handler within its time limit. The run itself goes on past it (nothing cancels it:
   * what a handler does on failure, such as refunding a charge, must not be cut short): a claim it
   * holds then stays until the run has ended, so that its retry does not run beside it, and is
   * marked done if it succeeded after all.
   */
  private Uni<Void> invoke(Job job, HandlerRegistry.Handler handler, Span span) {
    long start = System.nanoTime();
    metrics.queueWait(job.task());
    // Whether the handler's own run succeeded, once it has ended (before its outcome is handled).
    CompletableFuture<Boolean> ended = new CompletableFuture<>();
    Uni<Void> run =
        spans
            .within(span, () -> handlerRun(handler, job.task()))
            .onTermination()
            .invoke((item, failure, cancelled) -> ended.complete(failure == null && !cancelled));
    return Deadline.within(run, handler.timeout())
        .onItemOrFailure()
        .transformToUni(
            (ok, failure) -> {
              metrics.handled(job.task().type(), failure == null, System.nanoTime() - start);
              JobSpans.outcome(span, failure);
              if (failure == null) {
                return outcomes.succeeded(job);
              }
              // Failed by itself, the run has ended with false; else it timed out, and may have
              // ended (even succeeded) since.
              boolean timedOut = !ended.isDone() || ended.join();
              if (job.claim() != null && timedOut) {
                late(job, ended, lease(handler));
                return outcomes.failed(job.claimed(null), failure);
              }
              return outcomes.failed(job, failure);
            });
  }

  /** Ends {@code job}'s claim once its late run has ended; until then a shutdown waits for it. */
  private void late(Job job, CompletableFuture<Boolean> ended, Duration lease) {
    late.add(ended);
    ended.thenAccept(
        succeeded -> {
          late.remove(ended);
          claims.ended(job.task(), job.claim(), succeeded, lease);
        });
  }

  /** Completes once every run past its time limit has ended (a shutdown waits for them). */
  public CompletableFuture<Void> lateRunsEnded() {
    return CompletableFuture.allOf(late.toArray(CompletableFuture[]::new));
  }

  /**
   * A claim's lease: longer than the handler may run, so a claim whose worker died without a trace
   * holds the key back only for a while, and long enough for a run past its limit to end.
   */
  private Duration lease(HandlerRegistry.Handler handler) {
    return handler.timeout().multipliedBy(2).plus(config.heartbeatTtl());
  }

  private static Uni<Void> handlerRun(HandlerRegistry.Handler handler, Task task) {
    try {
      Uni<Void> run = handler.run(task);
      return run != null
          ? run
          : Uni.createFrom().failure(new IllegalStateException("The handler returned no Uni"));
    } catch (RuntimeException e) {
      return Uni.createFrom().failure(e);
    }
  }
}
