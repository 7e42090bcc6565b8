package dev.souq.shared.ratelimit;

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

/** The limits' ranges, checked as the service's configuration is read, without a validator. */
class RateLimitConfigTest {
  private static RateLimitConfig read(Map<String, String> properties) {
    return new SmallRyeConfigBuilder()
        .withMapping(RateLimitConfig.class)
        .withConverter(Duration.class, 100, new DurationConverter()) // "200ms", as Quarkus reads it
        .withSources(new PropertiesConfigSource(properties, "test", 100))
        .build()
        .getConfigMapping(RateLimitConfig.class);
  }

  private static String refused(Map<String, String> properties) {
    return assertThrows(ConfigValidationException.class, () -> read(properties)).getMessage();
  }

  @Test
  void readsTheDefaultsAndTheBoundsThemselves() {
    assertEquals(100, read(Map.of()).perMinute());
    assertEquals(5, read(Map.of()).accountSignInsPerMinute());
    RateLimitConfig edges =
        read(
            Map.of(
                "souq.rate-limit.per-minute", "0",
                "souq.rate-limit.catalog-per-minute", "10000000",
                "souq.rate-limit.account-sign-ins-per-minute", " 60 "));
    assertEquals(0, edges.perMinute());
    assertEquals(10_000_000, edges.catalogPerMinute());
    assertEquals(60, edges.accountSignInsPerMinute());
  }

  @Test
  void refusesABudgetOutsideItsRangeNamingTheSetting() {
    String past = refused(Map.of("souq.rate-limit.orders-per-minute", "10000001"));
    assertTrue(past.contains("souq.rate-limit.orders-per-minute"), past);
    assertTrue(past.contains("must be between 0 and 10000000"), past);
    String negative = refused(Map.of("souq.rate-limit.per-minute", "-1"));
    assertTrue(negative.contains("souq.rate-limit.per-minute"), negative);
    assertTrue(negative.contains("must be between 0 and 10000000"), negative);
  }

  @Test
  void refusesMoreThanOneSignInASecondPerAccount() {
    String message = refused(Map.of("souq.rate-limit.account-sign-ins-per-minute", "61"));
    assertTrue(message.contains("must be between 0 and 60"), message);
  }

  @Test
  void refusesWhatIsNotAWholeNumber() {
    String message = refused(Map.of("souq.rate-limit.sessions-per-minute", "lots"));
    assertTrue(message.contains("souq.rate-limit.sessions-per-minute"), message);
    assertTrue(message.contains("must be a whole number (between 0 and 10000000)"), message);
  }
}
