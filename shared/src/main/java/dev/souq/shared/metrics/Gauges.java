package dev.souq.shared.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Registers this application's gauges and removes them when it stops. Micrometer's registry is
 * global and outlives an application (tests, dev mode): a gauge left there would go on reading the
 * old instance's value in the next one, whose own registration would get the old gauge back.
 */
@Singleton
public class Gauges {
  private final MeterRegistry registry;
  private final List<Gauge> registered = new CopyOnWriteArrayList<>();

  Gauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the gauge {@code builder} describes, until this application stops. */
  public Gauge register(Gauge.Builder<?> builder) {
    Gauge gauge = builder.register(registry);
    registered.add(gauge);
    return gauge;
  }

  @PreDestroy
  void removeAll() {
    registered.forEach(registry::remove);
    registered.clear();
  }
}
