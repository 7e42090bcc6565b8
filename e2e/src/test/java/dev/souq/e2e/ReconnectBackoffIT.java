package dev.souq.e2e;

import static org.awaitility.Awaitility.await;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;

import dev.souq.devstack.Component;
import io.restassured.RestAssured;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;

/**
 * A page turned away as its WebSocket opens (1013: the instance full, or its sessions slow in a
 * reconnect storm) backs off more after each refusal, as after a failed connect, instead of
 * starting over at every open; and it comes back once there is room.
 */
@ExtendWith(RunningSouq.class)
class ReconnectBackoffIT {
  /** Connections one client address may hold on an instance, open or opening (the default). */
  private static final int PER_CLIENT = 100;

  /** Connections one user may hold on an instance (the default). */
  private static final int PER_USER = 10;

  /** Connections notification-service closed as they opened, since it started. */
  private static final String REJECTED = "souq_ws_connections_rejected_total";

  private static SouqSystem system;

  @BeforeAll
  static void useTheRunningShop(SouqSystem running) {
    system = running;
  }

  @Test
  void aPageTurnedAwayAtOpenBacksOffMoreEachTimeAndComesBackOnceThereIsRoom() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Browser browser = new Browser(1280, 900)) {
      // This address's room on the instance, taken by a script's sockets (the browser's too).
      WebSocketClient client =
          vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(PER_CLIENT));
      // Straight to the service (the local gateway passes only some 50 WebSockets at once).
      URI shop = system.uri(Component.NOTIFICATION);
      for (int user = 0; user < PER_CLIENT / PER_USER; user++) {
        String session = system.guestSession();
        for (int tab = 0; tab < PER_USER; tab++) {
          client
              .connect(
                  new WebSocketConnectOptions()
                      .setHost(shop.getHost())
                      .setPort(shop.getPort())
                      .setURI("/ws/orders")
                      .addHeader("Cookie", "SOUQ_SESSION=" + session))
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
        }
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> metric("souq_ws_connections") >= PER_CLIENT);
      double before = metric(REJECTED);
      browser.open(system.url() + "/");
      await().atMost(Duration.ofSeconds(30)).until(() -> metric(REJECTED) > before);
      double first = metric(REJECTED);

      // Its back-off after 1, 2, 3 … refusals: about 0.5, 1, 2, 4, 8 s (×0.75–1), so 3 or 4
      // more in 8 s; starting over at every open it came back every 0.4–0.5 s, 16 or more.
      await()
          .during(Duration.ofSeconds(8))
          .atMost(Duration.ofSeconds(9))
          .until(() -> metric(REJECTED) - first <= 6);

      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      browser.waitFor(attributeToBe(By.id("live"), "data-state", "live"), 30);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** One of notification-service's metrics now (0 if it has none yet). */
  private static double metric(String name) {
    String metrics =
        RestAssured.given()
            .baseUri(system.management(Component.NOTIFICATION).toString())
            .get("/q/metrics")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      }
    }
    return 0;
  }
}
