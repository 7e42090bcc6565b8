package dev.souq.shared.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Gauges against a plain registry, removeAll() called as CDI calls it at shutdown. That CDI does
 * call it is what order-service's UnpaidOrdersTest shows when it runs after CurrentSchemaTest's
 * application in the same JVM.
 */
class GaugesTest {
  private final MeterRegistry registry = new SimpleMeterRegistry();

  private static Gauge.Builder<AtomicLong> queued(AtomicLong value) {
    return Gauge.builder("souq.test.queued", value, AtomicLong::get).tag("queue", "tasks");
  }

  @Test
  void theNextApplicationsGaugeReadsItsOwnValue() {
    Gauges first = new Gauges(registry);
    first.register(queued(new AtomicLong(7)));
    first.removeAll();

    assertNull(registry.find("souq.test.queued").gauge());
    Gauges second = new Gauges(registry);
    second.register(queued(new AtomicLong(3)));
    assertEquals(3.0, registry.get("souq.test.queued").tag("queue", "tasks").gauge().value());
  }

  @Test
  void withoutRemovalTheRegistryHandsBackTheOldGauge() {
    // Why Gauges exists (Micrometer's behaviour, pinned): the first registration of a name and
    // tags wins, and a later one gets it back.
    new Gauges(registry).register(queued(new AtomicLong(7)));
    Gauge again = new Gauges(registry).register(queued(new AtomicLong(3)));
    assertEquals(7.0, again.value());
  }
}
