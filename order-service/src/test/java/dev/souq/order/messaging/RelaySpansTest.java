package dev.souq.order.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A batch's spans end however the batch ends, so no trace keeps a relay span open for good. */
class RelaySpansTest {
  private static final String REQUEST = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

  private final List<SpanData> ended = new CopyOnWriteArrayList<>();
  private final RelaySpans spans =
      new RelaySpans(
          SdkTracerProvider.builder()
              .addSpanProcessor(new Ended(ended))
              .build()
              .get("relay-spans-test"));

  @Test
  void aBatchThatRunsOutOfTimeEndsItsSpansAsErrors() {
    RelaySpans.Batch batch = spans.batch(1);
    batch.row("order_updates", REQUEST);

    batch.cancelled();

    assertEquals(2, ended.size());
    for (SpanData span : ended) {
      assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode(), span.getName());
    }
    assertEquals(
        List.of("order_updates publish", "outbox relay"),
        ended.stream().map(SpanData::getName).toList());
  }

  @Test
  void aBatchRedisTookEndsItsSpansUnset() {
    RelaySpans.Batch batch = spans.batch(1);
    batch.row("order_updates", REQUEST);

    batch.sent();

    assertEquals(2, ended.size());
    for (SpanData span : ended) {
      assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode(), span.getName());
    }
  }

  /** Collects every span as it ends. */
  private record Ended(List<SpanData> into) implements SpanProcessor {
    @Override
    public void onStart(Context parent, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      into.add(span.toSpanData());
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }
}
