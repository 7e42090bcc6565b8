package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.souq.notification.config.NotificationConfig;
import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One client address holds at most {@code max-connections-per-client} connections on an instance,
 * however many sessions it mints, and a header it sends cannot make it someone else.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class ConnectionCapTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TestHTTPResource("/")
  URI base;

  @Inject SessionStore sessions;
  @Inject Listeners listeners;
  @Inject NotificationConfig config;

  @Test
  void aClientAddressGetsItsCapOfConnectionsAndNotOneMore() {
    await().atMost(PATIENCE).until(() -> listeners.all().isEmpty());
    int cap = config.maxConnectionsPerClient();
    int perUser = config.maxConnectionsPerUser();
    List<Browser> open = new ArrayList<>();
    try {
      Session user = null;
      for (int i = 0; i < cap; i++) {
        if (i % perUser == 0) {
          user = Shoppers.create(sessions);
        }
        open.add(Browser.open(base, user.sessionId(), null, Handshake.CLIENT, "spoofed-" + i));
      }
      await().atMost(PATIENCE).until(() -> listeners.all().size() == cap);

      Browser over = Browser.open(base, Shoppers.create(sessions).sessionId(), null);
      await().atMost(PATIENCE).until(() -> over.closeCode() != null);
      assertEquals((short) 1013, over.closeCode());

      open.remove(0).close();
      await().atMost(PATIENCE).until(() -> listeners.all().size() == cap - 1);
      Browser again = Browser.open(base, Shoppers.create(sessions).sessionId(), null);
      open.add(again);
      await().atMost(PATIENCE).until(() -> listeners.all().size() == cap);
      assertNull(again.closeCode(), "a freed slot is taken again");
    } finally {
      open.forEach(Browser::close);
    }
  }
}
