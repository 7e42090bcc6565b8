package dev.souq.shared.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.util.regex.Pattern;

/**
 * The W3C {@code traceparent} Souq keeps in its messages (outbox rows, order_updates, jobs), so the
 * consumer of a message continues the trace of the request that caused it across Redis, where no
 * HTTP header carries it. With tracing off there is no current span and messages carry nothing.
 */
public final class TraceParents {
  /** A version-00 traceparent; anything else a producer sends is ignored, never an error. */
  public static final Pattern FORMAT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

  private TraceParents() {}

  /**
   * The current span's traceparent, or null when there is none. Unsampled ones travel too, so a
   * consumer samples as the request did.
   */
  public static String current() {
    return of(Span.current().getSpanContext());
  }

  /** The traceparent of {@code span}, or null when it is not valid. */
  public static String of(SpanContext span) {
    if (!span.isValid()) {
      return null;
    }
    return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
  }

  /** {@code candidate} if it is a well-formed traceparent, else null. */
  public static String valid(String candidate) {
    return candidate != null && FORMAT.matcher(candidate).matches() ? candidate : null;
  }

  /**
   * The context a consumer's span continues: the remote span {@code traceparent} names, or the root
   * (a new trace) when it is null or malformed.
   */
  public static Context parent(String traceparent) {
    SpanContext remote = remote(traceparent);
    return remote.isValid() ? Context.root().with(Span.wrap(remote)) : Context.root();
  }

  /** The span {@code traceparent} names, invalid when it is null or malformed. */
  public static SpanContext remote(String traceparent) {
    if (valid(traceparent) == null) {
      return SpanContext.getInvalid();
    }
    return SpanContext.createFromRemoteParent(
        traceparent.substring(3, 35),
        traceparent.substring(36, 52),
        TraceFlags.fromHex(traceparent, 53),
        TraceState.getDefault());
  }
}
