package dev.souq.order.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.ConfigValidationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The account settings' ranges, checked as the service's configuration is read. */
class OrderConfigTest {
  private static String refused(String property, String value) {
    return assertThrows(
            ConfigValidationException.class, () -> OrderConfigs.read(Map.of(property, value)))
        .getMessage();
  }

  @Test
  void readsTheDefaultsAndTheBounds() {
    assertEquals(10, OrderConfigs.read(Map.of()).accounts().bcryptCost());
    assertEquals(10, OrderConfigs.read(Map.of()).accounts().maxSessions());
    assertEquals(
        4, OrderConfigs.read(Map.of("order.accounts.bcrypt-cost", "4")).accounts().bcryptCost());
    assertEquals(
        16, OrderConfigs.read(Map.of("order.accounts.bcrypt-cost", "16")).accounts().bcryptCost());
    assertEquals(
        1, OrderConfigs.read(Map.of("order.accounts.max-sessions", "1")).accounts().maxSessions());
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
  void refusesWhatIsNotAWholeNumber() {
    for (String cost : new String[] {"-1", "ten", "10.5"}) {
      String message = refused("order.accounts.bcrypt-cost", cost);
      assertTrue(message.contains("order.accounts.bcrypt-cost"), message);
      assertTrue(message.contains("between 4 and 16"), message);
    }
  }

  @Test
  void refusesAnAccountWithoutSessions() {
    String message = refused("order.accounts.max-sessions", "0");
    assertTrue(message.contains("order.accounts.max-sessions"), message);
    assertTrue(message.contains("must be at least 1"), message);
  }
}
