package dev.souq.order.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The account settings' ranges, checked as the service's configuration is read. */
public class OrderConfigTest {
  /** The settings as the service reads them, from these properties and the defaults. */
  public static OrderConfig read(Map<String, String> properties) {
    return new SmallRyeConfigBuilder()
        .withMapping(OrderConfig.class)
        .withConverter(Duration.class, 100, new DurationConverter())
        .withSources(new PropertiesConfigSource(properties, "test", 100))
        .build()
        .getConfigMapping(OrderConfig.class);
  }

  private static String refused(String property, String value) {
    return assertThrows(ConfigValidationException.class, () -> read(Map.of(property, value)))
        .getMessage();
  }

  @Test
  void readsTheDefaultsAndTheBounds() {
    assertEquals(10, read(Map.of()).accounts().bcryptCost());
    assertEquals(10, read(Map.of()).accounts().maxSessions());
    assertEquals(4, read(Map.of("order.accounts.bcrypt-cost", "4")).accounts().bcryptCost());
    assertEquals(16, read(Map.of("order.accounts.bcrypt-cost", "16")).accounts().bcryptCost());
    assertEquals(1, read(Map.of("order.accounts.max-sessions", "1")).accounts().maxSessions());
  }

  @Test
  void refusesABcryptCostOutsideFourToSixteen() {
    for (String cost : new String[] {"3", "17"}) {
      String message = refused("order.accounts.bcrypt-cost", cost);
      assertTrue(message.contains("order.accounts.bcrypt-cost"), message);
      assertTrue(message.contains("must be between 4 and 16"), message);
    }
  }

  @Test
  void refusesAnAccountWithoutSessions() {
    String message = refused("order.accounts.max-sessions", "0");
    assertTrue(message.contains("order.accounts.max-sessions"), message);
    assertTrue(message.contains("must be at least 1"), message);
  }
}
