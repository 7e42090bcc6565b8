package dev.souq.shared.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The tracer of Souq's own spans (the relay's, the deliveries', the jobs'): Quarkus' while tracing
 * is on, a no-op one while it is off. The disabled SDK is no no-op: Quarkus still builds a real one
 * (always sampling, exporting nowhere), so its spans would cost a recording, and a job its own
 * context, for nothing.
 */
@Singleton
public class OwnTracer {
  private final Tracer tracer;
  private final boolean on;

  OwnTracer(Tracer quarkus, @ConfigProperty(name = "quarkus.otel.sdk.disabled") boolean disabled) {
    this.on = !disabled;
    this.tracer = disabled ? OpenTelemetry.noop().getTracer("souq") : quarkus;
  }

  public Tracer get() {
    return tracer;
  }

  /** Whether tracing is on: off, nothing needs a span made, not even a no-op one. */
  public boolean on() {
    return on;
  }
}
