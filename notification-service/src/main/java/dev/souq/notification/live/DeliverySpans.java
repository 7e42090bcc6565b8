package dev.souq.notification.live;

import dev.souq.notification.messaging.OrderEvent;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.shared.tracing.OwnTracer;
import dev.souq.shared.tracing.TraceParents;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import jakarta.inject.Singleton;

/**
 * The spans of a live event here, in the trace of the request that caused it: routing to its user's
 * connections, then one per event loop that wrote its frames. Only for events that carry a
 * traceparent, and only while tracing is on; otherwise nothing is made.
 */
@Singleton
class DeliverySpans {
  private final Tracer tracer;
  private final boolean on;

  DeliverySpans(OwnTracer tracer) {
    this.tracer = tracer.get();
    this.on = tracer.on();
  }

  /** The routing span of {@code event}, started now; null when it is not traced (or sampled). */
  Span route(OrderEvent event) {
    if (!on || event.traceparent() == null) {
      return null;
    }
    Span span =
        tracer
            .spanBuilder(OrderUpdate.CHANNEL + " deliver")
            .setParent(TraceParents.parent(event.traceparent()))
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute("messaging.system", "redis")
            .setAttribute("messaging.destination.name", OrderUpdate.CHANNEL)
            .setAttribute("messaging.message.id", event.offset().toString())
            .startSpan();
    return span.isRecording() ? span : null;
  }

  /** A span for writing a frame of {@code routed} on this event loop, started now. */
  Span write(SpanContext routed) {
    return tracer
        .spanBuilder("frame write")
        .setParent(Context.root().with(Span.wrap(routed)))
        .startSpan();
  }
}
