package dev.souq.shared.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which spans are kept: those of work someone asked for (requests, jobs, deliveries, relay
 * batches), sampled as {@code quarkus.otel.traces.sampler.arg} says and as the caller decided. A
 * Redis or PostgreSQL call with no span above it is a background poll (the outbox relay's, the
 * cache invalidation relay's, health checks'): several a second per replica, each a trace of one
 * span saying nothing, so it is dropped.
 */
public final class WorkSampler implements Sampler {
  private final Sampler sampled;

  WorkSampler(double ratio) {
    this.sampled = Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
  }

  /** Gives Quarkus' OpenTelemetry this sampler (it takes the one Sampler bean there is). */
  @Singleton
  static final class Producer {
    @Produces
    @Singleton
    Sampler sampler(@ConfigProperty(name = "quarkus.otel.traces.sampler.arg") double ratio) {
      return new WorkSampler(ratio);
    }
  }

  @Override
  public SamplingResult shouldSample(
      Context parent,
      String traceId,
      String name,
      SpanKind kind,
      Attributes attributes,
      List<LinkData> links) {
    if (kind == SpanKind.CLIENT && !Span.fromContext(parent).getSpanContext().isValid()) {
      return SamplingResult.drop();
    }
    return sampled.shouldSample(parent, traceId, name, kind, attributes, links);
  }

  @Override
  public String getDescription() {
    return "WorkSampler{" + sampled.getDescription() + "}";
  }
}
