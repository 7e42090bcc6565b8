package dev.souq.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.testing.CatalogProducts;
import dev.souq.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stock through the whole shop, every service a process: an order takes stock, a cancel gives it
 * back once through worker-service's release_stock job, and an order left unpaid is cancelled by
 * the periodic cancel_unpaid_orders job, its stock released and its owner's browser told. The shop
 * runs with a 20 s unpaid-order timeout and that schedule every second (SouqSystem).
 */
@ExtendWith(RunningSouq.class)
class StockIT {
  private static final Duration UNPAID = Duration.ofSeconds(20);
  private static SouqSystem system;

  @BeforeAll
  static void useTheRunningShop(SouqSystem running) {
    system = running;
  }

  @Test
  void cancelledAndUnpaidOrdersGiveTheirStockBackOnceAndTheOwnerSeesIt() throws Exception {
    // Free: the simulated provider refuses to charge nothing, so these orders are never paid.
    long product = CatalogProducts.create(system.url(), 0, 5);
    List<String> shoppers = new ArrayList<>();
    List<Long> orders = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      shoppers.add(session());
      orders.add(
          order(shoppers.get(i), product)
              .then()
              .statusCode(201)
              .extract()
              .jsonPath()
              .getLong("id"));
    }
    order(session(), product)
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("product_id", org.hamcrest.Matchers.equalTo((int) product))
        .body("available", org.hamcrest.Matchers.equalTo(0));
    assertEquals(0, CatalogProducts.stock(system.url(), product));
    Updates last = Updates.open(system.url(), shoppers.get(4));

    // Three shoppers cancel, each twice: three come back, not six.
    for (int i = 0; i < 3; i++) {
      cancel(shoppers.get(i), orders.get(i)).then().statusCode(200);
      cancel(shoppers.get(i), orders.get(i)).then().statusCode(409);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> CatalogProducts.stock(system.url(), product) == 3);

    // The other two stay unpaid: the schedule cancels them once they are older than the timeout.
    await()
        .atMost(UNPAID.plusSeconds(30))
        .until(
            () ->
                "CANCELLED".equals(status(orders.get(3)))
                    && "CANCELLED".equals(status(orders.get(4))));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> CatalogProducts.stock(system.url(), product) == 5);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> last.statuses(orders.get(4)).contains("CANCELLED"));
    // Its owner is told why: not paid in time.
    List<String> reasons = last.fields(orders.get(4), "reason");
    assertEquals("unpaid", reasons.get(last.statuses(orders.get(4)).indexOf("CANCELLED")));
    last.close();
    // The release jobs have run by now (nothing queued or running; one still waiting for a retry
    // would show as a stock below 5): none gave back more.
    await().atMost(Duration.ofSeconds(10)).until(StockIT::queueIsEmpty);
    assertEquals(5, CatalogProducts.stock(system.url(), product));
  }

  private static String status(long order) {
    return given()
        .baseUri(system.url())
        .header("Authorization", Tokens.ADMIN_BEARER)
        .get("/api/orders/" + order)
        .jsonPath()
        .getString("status");
  }

  private static boolean queueIsEmpty() {
    Map<String, Object> stats =
        given()
            .baseUri(system.url())
            .header("Authorization", Tokens.ADMIN_BEARER)
            .get("/api/tasks/stats")
            .jsonPath()
            .getMap("");
    return ((Number) stats.get("queued")).intValue() == 0
        && ((Number) stats.get("processing")).intValue() == 0;
  }

  private static String session() {
    return system.guestSession();
  }

  private static Response order(String session, long product) {
    return given()
        .baseUri(system.url())
        .cookie("SOUQ_SESSION", session)
        .contentType(ContentType.JSON)
        .body(Map.of("items", List.of(Map.of("product_id", product, "quantity", 1))))
        .post("/api/orders");
  }

  private static Response cancel(String session, long order) {
    return given()
        .baseUri(system.url())
        .cookie("SOUQ_SESSION", session)
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/orders/" + order + "/cancel");
  }

  /** A shopper's /ws/orders, as the page opens it: keeps every order_update frame. */
  private static final class Updates implements WebSocket.Listener, AutoCloseable {
    private final List<String> frames = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    static Updates open(String base, String session) throws Exception {
      Updates updates = new Updates();
      updates.socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .header("Cookie", "SOUQ_SESSION=" + session)
              .buildAsync(URI.create(base.replace("http://", "ws://") + "/ws/orders"), updates)
              .get(10, TimeUnit.SECONDS);
      return updates;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    /** The statuses this socket was told of for the order, in order. */
    List<String> statuses(long order) {
      return fields(order, "status");
    }

    /** The {@code field} of each update of the order this socket was told of, in order. */
    List<String> fields(long order, String field) {
      List<String> values = new ArrayList<>();
      for (String frame : frames) {
        var update = new io.vertx.core.json.JsonObject(frame);
        if ("order_update".equals(update.getString("type"))
            && update.getLong("order_id", -1L) == order) {
          values.add(update.getString(field));
        }
      }
      return values;
    }

    @Override
    public void close() {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
  }
}
