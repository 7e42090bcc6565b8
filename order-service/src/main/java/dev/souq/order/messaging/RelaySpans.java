package dev.souq.order.messaging;

import dev.souq.shared.tracing.OwnTracer;
import dev.souq.shared.tracing.TraceParents;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * The relay's spans. A batch is its own trace (it serves many requests), linked to each row's; each
 * row that carries a traceparent gets a producer span in its request's trace, so one order's trace
 * shows when its message left for Redis. With tracing off the tracer is a no-op and no row is
 * looked at.
 */
@Singleton
class RelaySpans {
  private final Tracer tracer;

  RelaySpans(OwnTracer tracer) {
    this.tracer = tracer.get();
  }

  /** The spans of one batch of {@code rows}, started now. */
  Batch batch(int rows) {
    Span batch =
        tracer
            .spanBuilder("outbox relay")
            .setNoParent()
            .setAttribute("souq.outbox.rows", rows)
            .startSpan();
    return new Batch(batch);
  }

  /** A batch's span and its rows'. */
  final class Batch {
    private final Span batch;
    private final List<Span> rows = new ArrayList<>();

    private Batch(Span batch) {
      this.batch = batch;
    }

    /**
     * A row for {@code destination} (a channel or a list), in the trace {@code traceparent} names.
     */
    void row(String destination, String traceparent) {
      if (!batch.getSpanContext().isValid() || traceparent == null) {
        return;
      }
      var remote = TraceParents.remote(traceparent);
      if (!remote.isValid()) {
        return;
      }
      batch.addLink(remote);
      rows.add(
          tracer
              .spanBuilder(destination + " publish")
              .setParent(TraceParents.parent(traceparent))
              .setSpanKind(SpanKind.PRODUCER)
              .addLink(batch.getSpanContext())
              .setAttribute("messaging.system", "redis")
              .setAttribute("messaging.destination.name", destination)
              .setAttribute("messaging.operation.type", "send")
              .startSpan());
    }

    /** Redis took the batch. */
    void sent() {
      rows.forEach(Span::end);
      batch.end();
    }

    /** Redis refused it; it is sent again later. */
    void failed(Throwable failure) {
      for (Span span : rows) {
        span.setStatus(StatusCode.ERROR, failure.toString());
        span.end();
      }
      batch.recordException(failure);
      batch.setStatus(StatusCode.ERROR);
      batch.end();
    }
  }
}
