package dev.souq.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.souq.devstack.Component;
import dev.souq.devstack.ServiceProcess;
import dev.souq.testing.Management;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One account signed in on two devices, each device's live connection on a different
 * notification-service replica: ending the other sessions from the first device closes the second
 * device's WebSocket at once (announced on session_ended, not found by the 30 s check), and only
 * that one.
 */
@ExtendWith(RunningSouq.class)
class AccountSessionsIT {
  private static SouqSystem system;

  @BeforeAll
  static void useTheRunningShop(SouqSystem running) {
    system = running;
  }

  private static RequestSpecification shop() {
    return given().baseUri(system.url());
  }

  @Test
  void endingTheOtherSessionsClosesTheirSocketsOnAnotherReplicaWithinASecond() throws Exception {
    String email = "devices-" + UUID.randomUUID() + "@example.com";
    String first = enter("/api/accounts", email, 201);
    String second = enter("/api/accounts/sign-in", email, 200);
    ServiceProcess otherReplica = system.startReplica(Component.NOTIFICATION);
    URI firstManagement = system.management(Component.NOTIFICATION);
    int alreadyOnFirst = connections(firstManagement);

    Socket onFirst = Socket.open(system.uri(Component.NOTIFICATION), first);
    Socket onSecond = Socket.open(otherReplica.uri(), second);
    try {
      // Each replica holds its device's connection: the end has something to close.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> connections(firstManagement) == alreadyOnFirst + 1);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> connections(otherReplica.managementUri()) == 1);
      shop()
          .cookie("SOUQ_SESSION", first)
          .queryParam("others", "true")
          .delete("/api/sessions")
          .then()
          .statusCode(204);

      // From the 204 on: the 30 s check could not close it this soon, only the announcement.
      await()
          .alias("the other replica closes the second device's socket within 1 s of the 204")
          .atMost(Duration.ofSeconds(1))
          .until(onSecond.closed::isDone);
      assertEquals(1008, onSecond.closed.get());
      assertFalse(onFirst.closed.isDone(), "the first device stays live");
      shop().cookie("SOUQ_SESSION", second).get("/api/cart").then().statusCode(401);
      shop().cookie("SOUQ_SESSION", first).get("/api/cart").then().statusCode(200);
    } finally {
      onFirst.close();
      onSecond.close();
    }
  }

  /** Open live connections on the replica whose management interface this is. */
  private static int connections(URI management) {
    return (int) Management.metric(management, "souq_ws_connections");
  }

  /** Signs up or in from a new guest session; the account session's id. */
  private static String enter(String path, String email, int status) {
    return shop()
        .cookie("SOUQ_SESSION", system.guestSession())
        .contentType(ContentType.JSON)
        .body(Map.of("email", email, "password", "correct horse battery"))
        .post(path)
        .then()
        .statusCode(status)
        .extract()
        .cookie("SOUQ_SESSION");
  }

  /** A device's live connection: a WebSocket on {@code /ws/orders} with its session cookie. */
  private static final class Socket implements WebSocket.Listener {
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;

    static Socket open(URI replica, String session) throws Exception {
      Socket socket = new Socket();
      URI ws = URI.create("ws://" + replica.getAuthority() + "/ws/orders");
      socket.socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .header("Cookie", "SOUQ_SESSION=" + session)
              .buildAsync(ws, socket)
              .get(10, TimeUnit.SECONDS);
      return socket;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
    }

    void close() {
      if (!closed.isDone()) {
        socket.abort();
      }
    }
  }
}
