package dev.souq.shared.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkSamplerTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private final WorkSampler sampler = new WorkSampler(1.0);

  private SamplingDecision decide(Context parent, SpanKind kind) {
    return sampler
        .shouldSample(parent, TRACE, "span", kind, Attributes.empty(), List.of())
        .getDecision();
  }

  @Test
  void aCallWithNoSpanAboveItIsABackgroundPollAndDropped() {
    assertEquals(SamplingDecision.DROP, decide(Context.root(), SpanKind.CLIENT));
  }

  @Test
  void requestsJobsAndCallsMadeForThemAreKept() {
    assertEquals(SamplingDecision.RECORD_AND_SAMPLE, decide(Context.root(), SpanKind.SERVER));
    assertEquals(SamplingDecision.RECORD_AND_SAMPLE, decide(Context.root(), SpanKind.CONSUMER));
    Context request = TraceParents.parent("00-" + TRACE + "-b7ad6b7169203331-01");
    assertEquals(SamplingDecision.RECORD_AND_SAMPLE, decide(request, SpanKind.CLIENT));
  }

  @Test
  void aCallersDecisionNotToSampleIsKept() {
    Context unsampled = TraceParents.parent("00-" + TRACE + "-b7ad6b7169203331-00");
    assertEquals(SamplingDecision.DROP, decide(unsampled, SpanKind.SERVER));
  }

  @Test
  void traceparentsAreReadOnlyWhenWellFormed() {
    assertNull(TraceParents.valid("00-" + TRACE + "-b7ad6b7169203331"));
    assertNull(TraceParents.valid("01-" + TRACE + "-b7ad6b7169203331-01"));
    assertFalse(TraceParents.remote("garbage").isValid());
    assertEquals(
        "00-" + TRACE + "-b7ad6b7169203331-01",
        TraceParents.of(TraceParents.remote("00-" + TRACE + "-b7ad6b7169203331-01")));
  }
}
