package dev.souq.shared.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BearerTokenTest {
  private static final String GOOD = "x".repeat(BearerToken.MIN_LENGTH);

  @Test
  void aTokenShorterThan32CharactersIsRefusedWithWhatToDo() {
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () -> BearerToken.of("SOUQ_ADMIN_TOKEN", Optional.of("change-me")));
    assertEquals(
        "SOUQ_ADMIN_TOKEN is 9 characters long; at least 32 are required"
            + " (generate one with: openssl rand -base64 32)",
        refused.getMessage());
    assertThrows(
        IllegalStateException.class,
        () -> BearerToken.of("SOUQ_SERVICE_TOKEN", Optional.of(GOOD.substring(1))));
    assertThrows(
        IllegalStateException.class,
        () -> new ServiceToken(Optional.of("short"), Optional.empty()),
        "the service token is checked as well");
  }

  @Test
  void theServiceTokenMustNotBeTheOperatorToken() {
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () -> new ServiceToken(Optional.of(GOOD), Optional.of(" " + GOOD)));
    assertEquals("SOUQ_SERVICE_TOKEN must differ from SOUQ_ADMIN_TOKEN", refused.getMessage());
    assertTrue(
        new ServiceToken(Optional.of(GOOD), Optional.of(GOOD + "2")).matches("Bearer " + GOOD));
  }

  @Test
  void noTokenOrABlankOneMeansNoneAndMatchesNothing() {
    for (Optional<String> none : java.util.List.of(Optional.<String>empty(), Optional.of("  "))) {
      BearerToken token = BearerToken.of("SOUQ_ADMIN_TOKEN", none);
      assertFalse(token.configured());
      assertFalse(token.matches("Bearer "));
      assertEquals(null, token.authorization());
    }
  }

  @Test
  void aLongEnoughTokenMatchesOnlyItself() {
    BearerToken token = BearerToken.of("SOUQ_ADMIN_TOKEN", Optional.of(" " + GOOD + " "));
    assertTrue(token.matches("Bearer " + GOOD));
    assertTrue(token.matches("bearer " + GOOD), "the scheme is case-insensitive");
    assertEquals("Bearer " + GOOD, token.authorization());
    assertFalse(token.matches("Bearer " + GOOD + "x"));
    assertFalse(token.matches("Basic " + GOOD));
    assertFalse(token.matches(null));
  }
}
