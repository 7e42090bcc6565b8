package dev.souq.worker.handlers;

import static io.restassured.RestAssured.given;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for order-service's operator API (not for Redis or PostgreSQL, which tests always use
 * for real): order 404 does not exist, order 410 is CANCELLED, every other order is PENDING with
 * two teas, and order 420's owner has an account (its address in {@code email}); status changes of
 * order 409 are refused, the first of orders 503 and 505 fails (503), and the first of order 504 is
 * made but answered 503 (its answer lost: the order reads PAID after it). A payment's void answers
 * whether the order was moved to PAID by that payment, except order 505's, which fails (503). Job
 * reports are taken (204). {@code POST /api/orders/unpaid/cancel?limit=} cancels up to limit of the
 * unpaid orders a test set with {@code POST /stub/unpaid?count=}. It records every call and shows
 * them at {@code GET /stub/calls}.
 */
public class OrderApiStub implements QuarkusTestResourceLifecycleManager {
  /** The one order the shopper cancelled. */
  static final long CANCELLED = 410;

  /** The order of a shopper with an account: the operator's view names its address. */
  static final long ACCOUNTS = 420;

  /** The address of {@link #ACCOUNTS}' owner. */
  static final String ACCOUNTS_EMAIL = "shopper@example.test";

  /** The order whose first status change fails (503), and later ones succeed. */
  static final long FAILS_ONCE = 503;

  /** The order whose move to PAID is made but answered 503, as if the answer was lost. */
  static final long ANSWER_LOST = 504;

  /** The order whose first move fails (503) and whose payments cannot be voided (503). */
  static final long VOID_FAILS = 505;

  private final AtomicBoolean failedOnce = new AtomicBoolean();
  private final AtomicBoolean answerLost = new AtomicBoolean();
  private final AtomicBoolean voidFailedOnce = new AtomicBoolean();
  private final Map<Long, String> paidBy = new ConcurrentHashMap<>();

  private Vertx vertx;
  private HttpServer server;
  private final CopyOnWriteArrayList<JsonObject> calls = new CopyOnWriteArrayList<>();
  private final AtomicLong unpaid = new AtomicLong();

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    try {
      server =
          vertx
              .createHttpServer()
              .requestHandler(
                  request ->
                      request.body(
                          body -> {
                            String path = request.path();
                            if (path.equals("/stub/calls")) {
                              request.response().end(new JsonArray(calls).encode());
                              return;
                            }
                            if (path.equals("/stub/unpaid")) {
                              unpaid.set(Long.parseLong(request.getParam("count")));
                              request.response().setStatusCode(204).end();
                              return;
                            }
                            calls.add(
                                new JsonObject()
                                    .put("method", request.method().name())
                                    .put("path", path)
                                    .put("query", request.query())
                                    .put("authorization", request.getHeader("Authorization"))
                                    .put("body", body.result().toString()));
                            if (path.equals("/api/orders/unpaid/cancel")) {
                              request
                                  .response()
                                  .putHeader("Content-Type", "application/json")
                                  .end(cancelUnpaid(Long.parseLong(request.getParam("limit"))));
                              return;
                            }
                            String[] parts = path.split("/");
                            long id = Long.parseLong(parts[3]);
                            if (id == 404) {
                              request.response().setStatusCode(404).end();
                            } else if (path.endsWith("/jobs")) {
                              request.response().setStatusCode(204).end();
                            } else if (path.endsWith("/payments/void")) {
                              String payment = new JsonObject(body.result()).getString("payment");
                              boolean kept = payment.equals(paidBy.get(id));
                              request
                                  .response()
                                  .setStatusCode(id == VOID_FAILS ? 503 : 200)
                                  .putHeader("Content-Type", "application/json")
                                  .end(new JsonObject().put("kept", kept).encode());
                            } else if (path.endsWith("/status")) {
                              boolean failNow =
                                  id == FAILS_ONCE && failedOnce.compareAndSet(false, true)
                                      || id == VOID_FAILS
                                          && voidFailedOnce.compareAndSet(false, true)
                                      || id == ANSWER_LOST && answerLost.compareAndSet(false, true);
                              boolean made = id != 409 && (!failNow || id == ANSWER_LOST);
                              String payment = new JsonObject(body.result()).getString("payment");
                              if (made && payment != null) {
                                paidBy.put(id, payment);
                              }
                              request
                                  .response()
                                  .setStatusCode(failNow ? 503 : id == 409 ? 409 : 200)
                                  .putHeader("Content-Type", "application/json")
                                  .end(order(id).encode());
                            } else {
                              request
                                  .response()
                                  .putHeader("Content-Type", "application/json")
                                  .end(order(id).encode());
                            }
                          }))
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return Map.of("quarkus.rest-client.order.url", "http://127.0.0.1:" + server.actualPort());
  }

  /** Cancels up to {@code limit} of the unpaid orders left: {@code {cancelled, more}}. */
  private String cancelUnpaid(long limit) {
    long left = unpaid.getAndUpdate(n -> Math.max(0, n - limit));
    long cancelled = Math.min(left, limit);
    return new JsonObject().put("cancelled", cancelled).put("more", left - cancelled > 0).encode();
  }

  private JsonObject order(long id) {
    boolean paid = id == ANSWER_LOST && answerLost.get();
    JsonObject order = new JsonObject();
    if (id == ACCOUNTS) {
      order.put("email", ACCOUNTS_EMAIL);
    }
    return order
        .put("id", id)
        .put("status", id == CANCELLED ? "CANCELLED" : paid ? "PAID" : "PENDING")
        .put("total_cents", 1998)
        .put("currency", "EUR")
        .put(
            "items",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("product_id", 7)
                        .put("name", "Mint tea")
                        .put("unit_price_cents", 999)
                        .put("quantity", 2)));
  }

  @Override
  public void stop() {
    if (vertx != null) {
      vertx.close();
    }
  }

  /** How many calls the stub at {@code api} recorded to {@code path}. */
  static long callsTo(String api, String path) {
    List<Map<String, Object>> all =
        given().baseUri(api).get("/stub/calls").then().extract().jsonPath().getList("");
    return all.stream().filter(call -> path.equals(call.get("path"))).count();
  }
}
