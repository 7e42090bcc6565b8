package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import dev.souq.testing.CapturedLog;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client whose TCP connection resets (its network or process gone) costs its socket and nothing
 * else: no error in the log, which thousands of phones leaving a train tunnel would flood.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class LostConnectionTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TestHTTPResource("/")
  URI base;

  @Inject SessionStore sessions;
  @Inject Listeners listeners;
  @Inject HeldSockets held;

  @Test
  void aResetConnectionIsDroppedWithoutAnError() {
    await().atMost(PATIENCE).until(() -> held.taken() == 0); // other tests' sockets gone
    try (CapturedLog errors = CapturedLog.errors("")) {
      Session shopper = Shoppers.create(sessions);
      byte[] cookie =
          ("Cookie: SOUQ_SESSION=" + shopper.sessionId() + "\r\n")
              .getBytes(StandardCharsets.ISO_8859_1);
      RawSocket socket = RawSocket.open(base, "/ws/orders", cookie);
      assertEquals(101, socket.status());
      await().atMost(PATIENCE).until(() -> Shoppers.connections(listeners, shopper) == 1);
      assertEquals(1, held.held());

      socket.reset();
      await().atMost(PATIENCE).until(() -> Shoppers.connections(listeners, shopper) == 0);
      await().atMost(PATIENCE).until(() -> held.held() == 0 && held.taken() == 0);
      assertEquals(List.of(), errors.messages());
    }
  }
}
