package dev.souq.order.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** order-service's settings read as the service reads them, without starting it. */
public final class OrderConfigs {
  private OrderConfigs() {}

  /** The settings from these properties and the defaults. */
  public static OrderConfig read(Map<String, String> properties) {
    return new SmallRyeConfigBuilder()
        .withMapping(OrderConfig.class)
        .withConverter(Duration.class, 100, new DurationConverter()) // "250ms", as Quarkus reads it
        .withSources(new PropertiesConfigSource(properties, "test", 100))
        .build()
        .getConfigMapping(OrderConfig.class);
  }
}
