package dev.souq.shared.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sessions as Redis holds them, written by this version of order-service or an older one. */
class SessionTest {
  private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();

  @Test
  void aSessionWrittenBeforeAccountsExistedReadsAsAGuests() throws Exception {
    Session old =
        json.readValue(
            "{\"session_id\":\"s\",\"user_id\":\"u_1\",\"created_at\":\"2026-12-01T10:00:00Z\","
                + "\"cart\":[{\"product_id\":3,\"quantity\":2}]}",
            Session.class);
    assertEquals("u_1", old.userId());
    assertEquals(List.of(new Session.CartItem(3, 2)), old.cart());
    assertNull(old.email());
    assertNull(old.userAgent());
    assertFalse(old.signedIn());
  }

  @Test
  void anAccountsSessionStaysSignedInThoughAnOlderWriterDroppedItsEmail() throws Exception {
    Session rewritten =
        json.readValue(
            "{\"session_id\":\"s\",\"user_id\":\"a_1\",\"created_at\":\"2026-12-01T10:00:00Z\","
                + "\"cart\":[]}",
            Session.class);
    assertTrue(rewritten.signedIn());
  }

  @Test
  void aGuestsSessionIsWrittenWithoutTheAccountFields() throws Exception {
    Session guest = new Session("s", "u_1", Instant.parse("2026-12-01T10:00:00Z"), List.of());
    String written = json.writeValueAsString(guest);
    assertFalse(written.contains("email"), written);
    assertFalse(written.contains("user_agent"), written);
    assertEquals(guest, json.readValue(written, Session.class));
  }
}
