package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.junit.jupiter.api.Test;

/**
 * A client that stopped reading, then closed for what it sent (here: text that is not valid UTF-8,
 * 1007). Its close frame waits behind the frames it left unread, so no answer ever comes; the
 * server must let go of the TCP connection all the same. Default limits: a send queue of 512, so
 * the frames can pile up far beyond a burst's without the client being dropped as too slow.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class FrozenClientCloseTest {
  /** Frames waiting in the send queue: only a full socket holds that many (4 MB) back. */
  private static final int STUCK = 64;

  @TestHTTPResource("/")
  URI base;

  @Inject SessionStore sessions;
  @Inject Listeners listeners;

  @Test
  void aClientClosedForWhatItSentLosesItsTcpConnectionThoughItNeverReadsAgain() throws Exception {
    assumeTrue(TcpTable.readable(), "reads Linux's socket table");
    Session user = Shoppers.create(sessions);
    try (Browser frozen = Browser.open(base, user.sessionId(), null)) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Shoppers.connections(listeners, user) == 1);
      Listener listener = Shoppers.of(listeners, user).findFirst().orElseThrow();
      int port = frozen.localPort();
      assertTrue(TcpTable.held(base.getPort(), port));
      double slowDrops = Scenarios.slowClientsDropped();
      frozen.stopReading();
      Scenarios.flood(user, 1024, () -> listener.queued() < STUCK);
      assertTrue(listener.queued() >= STUCK, "its socket never filled up");

      // No message of the protocol holds U+FFFD: closed with 1007, at once.
      frozen.send("\uFFFD");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> Shoppers.connections(listeners, user) == 0);
      // Still behind the unread frames, so the close frame has not gone out.
      assertTrue(listener.queued() > 0, "the frames it left unread went out after all");
      await().atMost(Duration.ofSeconds(40)).until(() -> !TcpTable.held(base.getPort(), port));
      assertEquals(slowDrops, Scenarios.slowClientsDropped(), "closed as too slow instead");
    }
  }
}
