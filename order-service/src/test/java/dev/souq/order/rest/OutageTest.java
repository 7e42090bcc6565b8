package dev.souq.order.rest;

import static dev.souq.testing.OutageClient.answer;
import static dev.souq.testing.OutageClient.assertAllowed;
import static dev.souq.testing.OutageClient.assertUnavailable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.order.OrderUpdates;
import dev.souq.order.RealDatabase;
import dev.souq.order.Shopper;
import dev.souq.order.messaging.OutboxRelay;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.Management;
import dev.souq.testing.OutageClient;
import dev.souq.testing.ProxyControl;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import dev.souq.testing.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL, then Redis, unreachable under concurrent use: what lives in Redis (sessions, carts)
 * keeps working without PostgreSQL; everything that needs the missing server is 503 with
 * Retry-After; nothing is 500 or hangs; everything recovers by itself.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class OutageTest {
  // Longer than the pool's acquire timeout (3 s) and Redis' command timeout (2 s); shorter than a
  // hang.
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(6);
  private static final String[] ADMIN = OutageClient.admin(Tokens.ADMIN);
  // Longer than the bound on a database connection's silence (10 s).
  private static final Duration SILENCE_CLIENT_TIMEOUT = Duration.ofSeconds(16);
  private static final String CART = "{\"items\":[{\"product_id\":3,\"quantity\":2}]}";
  private static final String ORDER = "{\"items\":[{\"product_id\":2,\"quantity\":1}]}";

  @TestHTTPResource("/")
  URI base;

  @Inject AgroalDataSource flyway;

  private OutageClient client;

  private record Pending(String what, CompletableFuture<HttpResponse<String>> response) {}

  @BeforeEach
  void client() {
    client = new OutageClient(base, CLIENT_TIMEOUT);
  }

  @Test
  void sessionsAndCartsWorkWithoutPostgresOrdersAre503AndAllRecovers() {
    Shopper shopper = Shopper.start();
    long order = shopper.placeOrder(1, 1);
    String[] cookie = {"Cookie", "SOUQ_SESSION=" + shopper.session()};
    ProxyControl postgres = TestStack.get().postgresProxy();
    List<Pending> pending = new ArrayList<>();
    postgres.cut();
    try {
      for (int round = 0; round < 3; round++) {
        pending.add(new Pending("my orders", client.send("GET", "/api/orders", null, cookie)));
        pending.add(new Pending("one order", get("/api/orders/" + order, cookie)));
        pending.add(new Pending("place", client.send("POST", "/api/orders", ORDER, cookie)));
        pending.add(new Pending("status", status(order, "PAID")));
        pending.add(new Pending("new session", client.send("POST", "/api/sessions", "{}")));
        pending.add(new Pending("session", get("/api/sessions/current", cookie)));
        pending.add(new Pending("put cart", client.send("PUT", "/api/cart", CART, cookie)));
        pending.add(new Pending("cart", get("/api/cart", cookie)));
      }
      for (Pending p : pending) {
        HttpResponse<String> response = answer(p.response());
        assertAllowed(p.what(), response);
        switch (p.what()) {
          case "new session" -> assertEquals(201, response.statusCode(), response.body());
          case "session", "put cart", "cart" ->
              assertEquals(200, response.statusCode(), p.what() + ": " + response.body());
          default -> assertUnavailable(p.what(), response);
        }
      }
    } finally {
      postgres.restore();
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertEquals(
                  200, answer(client.send("GET", "/api/orders", null, cookie)).statusCode());
              assertEquals(
                  201, answer(client.send("POST", "/api/orders", ORDER, cookie)).statusCode());
            });
    // Nothing written during the outage: the order is still PENDING and may now be paid.
    assertEquals(200, answer(status(order, "PAID")).statusCode());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Management.given().get("/q/health/ready").statusCode() == 200);
  }

  @Test
  void connectionsWhosePathWentSilentAreClosedAndStatusChangesStillReachRedis() {
    Shopper shopper = Shopper.start();
    long order = shopper.placeOrder(1, 1);
    String[] cookie = {"Cookie", "SOUQ_SESSION=" + shopper.session()};
    // The relay has sent the order and polls every second on its connection; reads at once leave
    // several request connections open in the pool.
    OrderUpdates.awaitOutboxDrained();
    List<Pending> warm = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      warm.add(new Pending("one order", get("/api/orders/" + order, cookie)));
    }
    warm.forEach(p -> assertEquals(200, answer(p.response()).statusCode(), p.what()));
    // Their path dies without a reset; new connections get through. Only the service's own bound
    // on silence (10 s) ends what waits on one of them: requests, the relay's batch, the LISTEN.
    // Flyway's connections, idle since start-up, are not the subject: only the service's own.
    flyway.flush(AgroalDataSource.FlushMode.IDLE);
    ProxyControl postgres = TestStack.get().postgresProxy();
    postgres.strand();
    try {
      OutageClient patient = new OutageClient(base, SILENCE_CLIENT_TIMEOUT);
      List<Pending> pending = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        pending.add(
            new Pending("one order", patient.send("GET", "/api/orders/" + order, null, cookie)));
      }
      pending.forEach(p -> assertAllowed(p.what(), answer(p.response())));
      await().atMost(Duration.ofSeconds(30)).until(() -> postgres.strandedConnections() == 0);
      // Paid now, on a connection opened since: the relay, on one of its own, sends it.
      assertEquals(200, answer(status(order, "PAID")).statusCode());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> OrderUpdates.statuses(OrderUpdates.streamed(order)).contains("PAID"));
    } finally {
      postgres.restore();
    }
  }

  @Test
  void theLocksOfATransactionWhosePathWentSilentAreGivenBackAndTheRelayGoesOn() throws Exception {
    long order = Shopper.start().placeOrder(1, 1);
    OrderUpdates.awaitOutboxDrained();
    ProxyControl redis = TestStack.get().redisProxy();
    ProxyControl postgres = TestStack.get().postgresProxy();
    flyway.flush(AgroalDataSource.FlushMode.IDLE); // not the subject: only the service's own
    // A relay batch holds the outbox lock while it sends to Redis: here as long as Redis is frozen.
    redis.freeze();
    try {
      assertEquals(200, answer(status(order, "PAID")).statusCode());
      await().atMost(Duration.ofSeconds(10)).until(OutageTest::relayLockHeld);
      // Its path to PostgreSQL dies in that transaction: the server keeps the session, and the
      // lock, until it ends an idle transaction itself.
      postgres.strand();
    } finally {
      redis.restore();
    }
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> postgres.strandedConnections() == 0);
      assertEquals(200, answer(status(order, "SHIPPED")).statusCode());
      // Sent only by a relay that took the lock again.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> OrderUpdates.statuses(OrderUpdates.streamed(order)).contains("SHIPPED"));
    } finally {
      postgres.restore();
    }
  }

  /** Whether a session holds the outbox relay's advisory lock, read on the real PostgreSQL. */
  private static boolean relayLockHeld() throws SQLException {
    try (Connection sql = RealDatabase.connect();
        PreparedStatement held =
            sql.prepareStatement(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    + " AND (classid::bigint << 32 | objid::bigint) = ?")) {
      held.setLong(1, OutboxRelay.LOCK);
      try (ResultSet rows = held.executeQuery()) {
        rows.next();
        return rows.getLong(1) > 0;
      }
    }
  }

  @Test
  void redisConnectionsWhosePathWentSilentAreClosedAndSessionsAnsweredNotLeftWaiting() {
    Shopper shopper = Shopper.start();
    String[] cookie = {"Cookie", "SOUQ_SESSION=" + shopper.session()};
    // Requests at once leave several Redis connections open in the pool.
    List<Pending> warm = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      warm.add(new Pending("session", get("/api/sessions/current", cookie)));
    }
    warm.forEach(p -> assertEquals(200, answer(p.response()).statusCode(), p.what()));
    // Their path dies without a reset; new connections get through. Only the client's bound on
    // silence (10 s) ends a command sent on one of them.
    ProxyControl redis = TestStack.get().redisProxy();
    redis.strand();
    try {
      OutageClient patient = new OutageClient(base, SILENCE_CLIENT_TIMEOUT);
      List<Pending> pending = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        pending.add(
            new Pending("session", patient.send("GET", "/api/sessions/current", null, cookie)));
        pending.add(new Pending("put cart", patient.send("PUT", "/api/cart", CART, cookie)));
      }
      pending.forEach(p -> assertAllowed(p.what(), answer(p.response())));
      await().atMost(Duration.ofSeconds(30)).until(() -> redis.strandedConnections() == 0);
      assertEquals(200, answer(get("/api/sessions/current", cookie)).statusCode());
    } finally {
      redis.restore();
    }
  }

  @Test
  void withoutRedisSessionsAndCartsAre503WithRetryAfterAndRecover() {
    Shopper shopper = Shopper.start();
    String[] cookie = {"Cookie", "SOUQ_SESSION=" + shopper.session()};
    ProxyControl redis = TestStack.get().redisProxy();
    List<Pending> pending = new ArrayList<>();
    redis.cut();
    try {
      for (int round = 0; round < 3; round++) {
        pending.add(new Pending("new session", client.send("POST", "/api/sessions", "{}")));
        pending.add(new Pending("session", get("/api/sessions/current", cookie)));
        pending.add(new Pending("put cart", client.send("PUT", "/api/cart", CART, cookie)));
        pending.add(new Pending("cart", get("/api/cart", cookie)));
        pending.add(new Pending("my orders", client.send("GET", "/api/orders", null, cookie)));
      }
      for (Pending p : pending) {
        assertUnavailable(p.what(), answer(p.response()));
      }
    } finally {
      redis.restore();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertEquals(
                    200, answer(get("/api/sessions/current", cookie)).statusCode(), "session"));
    assertEquals(200, answer(client.send("PUT", "/api/cart", CART, cookie)).statusCode());
  }

  private CompletableFuture<HttpResponse<String>> get(String path, String... headers) {
    return client.send("GET", path, null, headers);
  }

  private CompletableFuture<HttpResponse<String>> status(long order, String status) {
    return client.send(
        "POST", "/api/orders/" + order + "/status", "{\"status\":\"" + status + "\"}", ADMIN);
  }
}
