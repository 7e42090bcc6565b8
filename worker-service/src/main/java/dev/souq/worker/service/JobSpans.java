package dev.souq.worker.service;

import dev.souq.shared.messages.Task;
import dev.souq.shared.tracing.OwnTracer;
import dev.souq.shared.tracing.TraceParents;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.opentelemetry.runtime.QuarkusContextStorage;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.inject.Singleton;
import java.util.function.Supplier;

/**
 * A job's span, in the trace of the request that enqueued it (its {@code traceparent}; a new trace
 * for jobs that carry none), from fetch to outcome. The handler runs on a Vert.x context of its own
 * that holds the span, so the calls it makes (order-service, the catalog) continue the trace
 * whatever thread their replies come back on. With tracing off nothing is made.
 */
@Singleton
class JobSpans {
  private final Tracer tracer;
  private final boolean on;
  private final Vertx vertx;

  JobSpans(OwnTracer tracer, Vertx vertx) {
    this.tracer = tracer.get();
    this.on = tracer.on();
    this.vertx = vertx;
  }

  /** The span of a run of {@code task}, started now; null when it is not traced. */
  Span start(Task task) {
    if (!on) {
      return null;
    }
    String queue = task.queue() == null ? Task.QUEUE : task.queue();
    Span span =
        tracer
            .spanBuilder(task.type() + " process")
            .setParent(TraceParents.parent(task.traceparent()))
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute("messaging.system", "redis")
            .setAttribute("messaging.destination.name", queue)
            .setAttribute("messaging.message.id", String.valueOf(task.id()))
            .setAttribute("souq.job.type", task.type())
            .setAttribute("souq.job.attempt", task.attempt())
            .startSpan();
    return span.getSpanContext().isValid() ? span : null;
  }

  /**
   * {@code handler}'s run, made and subscribed on a context of its own where {@code span} is
   * current; when it ends, the span stops being current there and the caller resumes on its own
   * context (the next fetch, the outcome script and other jobs must not run inside this job's
   * span).
   */
  Uni<Void> within(Span span, Supplier<Uni<Void>> handler) {
    if (span == null) {
      return handler.get();
    }
    io.vertx.core.Context own = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
    return Uni.createFrom()
        .emitter(
            emitter -> {
              io.vertx.core.Context caller = Vertx.currentContext();
              own.runOnContext(
                  ignored -> {
                    Scope scope =
                        QuarkusContextStorage.INSTANCE.attach(own, Context.root().with(span));
                    handler
                        .get()
                        .subscribe()
                        .with(
                            ok -> back(caller, scope, () -> emitter.complete(ok)),
                            failure -> back(caller, scope, () -> emitter.fail(failure)));
                  });
            });
  }

  private static void back(io.vertx.core.Context caller, Scope scope, Runnable resume) {
    scope.close();
    if (caller == null) {
      resume.run();
    } else {
      caller.runOnContext(ignored -> resume.run());
    }
  }

  /** Notes on {@code span} (null: none) how the handler's run ended; its outcome script follows. */
  static void outcome(Span span, Throwable failure) {
    outcome(span, failure == null ? "succeeded" : "failed");
    if (span != null && failure != null) {
      span.recordException(failure);
      span.setStatus(StatusCode.ERROR);
    }
  }

  /** Notes on {@code span} (null: none) why the job did not run now (held, duplicate, …). */
  static void outcome(Span span, String outcome) {
    if (span != null) {
      span.setAttribute("souq.job.outcome", outcome);
    }
  }
}
