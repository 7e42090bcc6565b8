package dev.souq.worker.service;

import dev.souq.shared.messages.Task;
import dev.souq.shared.tracing.TraceParents;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
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
  private final Vertx vertx;

  JobSpans(Tracer tracer, Vertx vertx) {
    this.tracer = tracer;
    this.vertx = vertx;
  }

  /** The span of a run of {@code task}, started now; null when it is not traced. */
  Span start(Task task) {
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

  /** {@code handler}'s run, made and subscribed where {@code span} is current. */
  Uni<Void> within(Span span, Supplier<Uni<Void>> handler) {
    if (span == null) {
      return handler.get();
    }
    io.vertx.core.Context context =
        VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
    // Stays for the context's life: the context is this run's alone, dropped with it.
    QuarkusContextStorage.INSTANCE.attach(context, Context.root().with(span));
    return Uni.createFrom()
        .emitter(
            emitter ->
                context.runOnContext(
                    ignored -> {
                      Uni<Void> run;
                      try {
                        run = handler.get();
                      } catch (RuntimeException e) {
                        run = Uni.createFrom().failure(e);
                      }
                      run.subscribe().with(emitter::complete, emitter::fail);
                    }));
  }

  /** Notes on {@code span} (null: none) how the handler's run ended; its outcome script follows. */
  static void outcome(Span span, Throwable failure) {
    if (span == null) {
      return;
    }
    span.setAttribute("souq.job.outcome", failure == null ? "succeeded" : "failed");
    if (failure != null) {
      span.recordException(failure);
      span.setStatus(StatusCode.ERROR);
    }
  }
}
