package dev.souq.order.rest;

import static io.restassured.RestAssured.given;

import dev.souq.order.Shopper;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.Tokens;
import dev.souq.testing.hostile.Expect;
import dev.souq.testing.hostile.HostileCase;
import dev.souq.testing.hostile.HttpProbe;
import dev.souq.testing.hostile.JsonBodyCases;
import dev.souq.testing.hostile.JsonBodyCases.Text;
import dev.souq.testing.hostile.Request;
import dev.souq.testing.hostile.RequestCases;
import dev.souq.testing.hostile.Verdict;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * order-service against hostile input, over a raw socket: every case gets its stated status, never
 * a 5xx, a reset or a hang, and every 4xx the application gives is problem+json.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class HostileInputTest {
  private static final String ADMIN = "Authorization: " + Tokens.ADMIN_BEARER;
  private static final String COOKIE = "Cookie: SOUQ_SESSION={{session}}";
  private static final String ITEMS =
      "{\"items\":[{\"product_id\":${product_id},\"quantity\":${quantity}}]}";
  private static final String VALID_ITEMS = "{\"items\":[{\"product_id\":1,\"quantity\":1}]}";
  private static final int LIMIT = 64 * 1024;
  private static final String[] STATUSES = {"PENDING", "PAID", "SHIPPED", "DELIVERED", "CANCELLED"};
  private static final Map<String, String> MEMO = Collections.synchronizedMap(new HashMap<>());

  @TestHTTPResource("/")
  URL root;

  static Stream<HostileCase> cases() {
    List<HostileCase> all = new ArrayList<>();
    all.addAll(
        items("PUT /api/cart", Request.of("PUT", "/api/cart", COOKIE))
            .success(Expect.status(200))
            .cases());
    // Ids past the catalog's products are well-formed: 422 (unknown product), never a 5xx.
    all.addAll(
        items("POST /api/orders", Request.of("POST", "/api/orders", COOKIE))
            .success(Expect.status(201, 422))
            .emptyBody(Expect.status(201, 422))
            .cases());
    all.addAll(
        JsonBodyCases.of(
                "POST /api/orders/{id}/status",
                Request.of("POST", "/api/orders/{{newOrder}}/status"),
                "{\"status\":${status}}")
            .operator(ADMIN)
            .limit(LIMIT)
            .string("status", "PAID", Text.CODE, 0)
            .success(Expect.status(200))
            .cases());
    all.addAll(itemLists());
    all.addAll(transitions());
    all.addAll(
        RequestCases.numericIds(
            "GET /api/orders/{id}", id -> Request.of("GET", "/api/orders/" + id, COOKIE)));
    all.addAll(
        RequestCases.numericIds(
            "GET /api/orders/{id} (operator)",
            id -> Request.of("GET", "/api/orders/" + id, ADMIN)));
    all.addAll(
        RequestCases.numericIds(
            "POST /api/orders/{id}/status",
            id ->
                Request.of(
                        "POST",
                        "/api/orders/" + id + "/status",
                        ADMIN,
                        "Content-Type: application/json")
                    .body("{\"status\":\"PAID\"}")));
    all.addAll(sessions());
    all.addAll(RequestCases.traversal("/api/orders/", COOKIE));
    all.addAll(RequestCases.traversal("/api/sessions/"));
    all.addAll(
        RequestCases.headers(
            "GET /api/cart", Request.of("GET", "/api/cart", COOKIE), Expect.status(200)));
    return all.stream();
  }

  private static JsonBodyCases items(String label, Request base) {
    return JsonBodyCases.of(label, base, ITEMS)
        .limit(LIMIT)
        .integer("product_id", 1, 1, Long.MAX_VALUE, false, true)
        .integer("quantity", 1, 1, 99, true, true);
  }

  /** The items array itself: its size limit and what it may hold. */
  private static List<HostileCase> itemLists() {
    String line = "{\"product_id\":1,\"quantity\":1}";
    String[][] bodies = {
      {
        "50 lines (the maximum)",
        "{\"items\":[" + String.join(",", Collections.nCopies(50, line)) + "]}",
        "ok"
      },
      {"51 lines", "{\"items\":[" + String.join(",", Collections.nCopies(51, line)) + "]}", "400"},
      {"items is an object", "{\"items\":{}}", "400"},
      {"items is a string", "{\"items\":\"1\"}", "400"},
      {"a null line", "{\"items\":[null]}", "400"},
      {"a line that is a number", "{\"items\":[1]}", "400"},
      {"a line without quantity", "{\"items\":[{\"product_id\":1}]}", "400"},
      {
        "a line with an unknown field",
        "{\"items\":[{\"product_id\":1,\"quantity\":1,\"price\":0}]}",
        "400"
      },
      {
        "a line with a duplicate key",
        "{\"items\":[{\"product_id\":1,\"product_id\":2,\"quantity\":1}]}",
        "400"
      },
      {"an unknown top-level field", "{\"items\":[],\"total_cents\":0}", "400"},
      {"a duplicated items array", "{\"items\":[],\"items\":[" + line + "]}", "400"},
    };
    List<HostileCase> cases = new ArrayList<>();
    for (String[] body : bodies) {
      cases.add(
          new HostileCase(
              "items",
              "PUT /api/cart " + body[0],
              Request.of("PUT", "/api/cart", COOKIE, "Content-Type: application/json")
                  .body(body[1]),
              body[2].equals("ok") ? Expect.status(200) : Expect.status(400)));
    }
    return cases;
  }

  /** Every move the status machine forbids, from every status: 409, nothing changes. */
  private static List<HostileCase> transitions() {
    Map<String, List<String>> allowed =
        Map.of(
            "PENDING", List.of("PAID", "CANCELLED"),
            "PAID", List.of("SHIPPED", "CANCELLED"),
            "SHIPPED", List.of("DELIVERED"),
            "DELIVERED", List.of(),
            "CANCELLED", List.of());
    List<HostileCase> cases = new ArrayList<>();
    for (String from : STATUSES) {
      for (String to : STATUSES) {
        if (allowed.get(from).contains(to)) {
          continue;
        }
        cases.add(
            new HostileCase(
                "status transitions",
                from + " → " + to,
                Request.of(
                        "POST",
                        "/api/orders/{{order" + from + "}}/status",
                        ADMIN,
                        "Content-Type: application/json")
                    .body("{\"status\":\"" + to + "\"}"),
                Expect.status(409)));
      }
    }
    for (String lower : new String[] {"paid", "Paid", " PAID", "PAID ", "PAYED", ""}) {
      cases.add(
          new HostileCase(
              "status transitions",
              "to '" + lower + "'",
              Request.of(
                      "POST",
                      "/api/orders/{{orderPENDING}}/status",
                      ADMIN,
                      "Content-Type: application/json")
                  .body("{\"status\":\"" + lower + "\"}"),
              Expect.status(400)));
    }
    return cases;
  }

  /** Forged, malformed and ended sessions on every endpoint that needs one: 401. */
  private static List<HostileCase> sessions() {
    String[][] cookies = {
      {"no cookie", null},
      {"forged well-formed id", "Cookie: SOUQ_SESSION=" + "A".repeat(43)},
      {"random well-formed id", "Cookie: SOUQ_SESSION={{forged}}"},
      {"42 characters", "Cookie: SOUQ_SESSION=" + "a".repeat(42)},
      {"44 characters", "Cookie: SOUQ_SESSION=" + "a".repeat(44)},
      {"base64 with + and /", "Cookie: SOUQ_SESSION=" + "a+/".repeat(14) + "a"},
      {"NUL", "Cookie: SOUQ_SESSION=%00"},
      {"empty", "Cookie: SOUQ_SESSION="},
      {"quoted", "Cookie: SOUQ_SESSION=\"{{forged}}\""},
      {"JSON as the id", "Cookie: SOUQ_SESSION={\"user_id\":\"u_x\"}"},
      {"Redis key injection", "Cookie: SOUQ_SESSION=*"},
      {"CRLF-encoded", "Cookie: SOUQ_SESSION=a%0D%0ASET%20x%201"},
      {"4 KB id", "Cookie: SOUQ_SESSION=" + "a".repeat(4096)},
      {"full-width characters", "Cookie: SOUQ_SESSION=" + JsonBodyCases.utf8("ａ".repeat(43))},
      {"lower-case cookie name", "Cookie: souq_session={{other}}"},
      {"ended session (logged out)", "Cookie: SOUQ_SESSION={{ended}}"},
      {"session in a header instead", "X-Session: {{other}}"},
    };
    String[][] endpoints = {
      {"GET", "/api/cart"},
      {"GET", "/api/sessions/current"},
      {"DELETE", "/api/sessions/current"},
      {"GET", "/api/orders"},
      {"GET", "/api/orders/1"},
    };
    List<HostileCase> cases = new ArrayList<>();
    for (String[] endpoint : endpoints) {
      for (String[] cookie : cookies) {
        Request request = Request.of(endpoint[0], endpoint[1]);
        if (cookie[1] != null) {
          request = request.header(cookie[1]);
        }
        cases.add(
            new HostileCase(
                "sessions",
                endpoint[0] + " " + endpoint[1] + " " + cookie[0],
                request,
                Expect.status(401).orTransport()));
      }
    }
    for (String[] body : new String[][] {{"PUT", "/api/cart"}, {"POST", "/api/orders"}}) {
      cases.add(
          new HostileCase(
              "sessions",
              body[0] + " " + body[1] + " forged session",
              Request.of(
                      body[0],
                      body[1],
                      "Cookie: SOUQ_SESSION={{forged}}",
                      "Content-Type: application/json")
                  .body(VALID_ITEMS),
              Expect.status(401)));
    }
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isAnsweredAsStated(HostileCase c) {
    HttpProbe probe = new HttpProbe(root.getHost(), root.getPort(), Duration.ofSeconds(20));
    Map<String, Supplier<String>> values = new HashMap<>();
    values.put("session", () -> memo("session", () -> Shopper.start().session()));
    values.put("ended", () -> memo("ended", HostileInputTest::endedSession));
    values.put("other", () -> memo("other", () -> Shopper.start().session()));
    values.put("forged", HostileInputTest::forgedId);
    values.put("newOrder", () -> Long.toString(Shopper.start().placeOrder(1, 1)));
    for (String status : STATUSES) {
      values.put("order" + status, () -> memo("order" + status, () -> orderIn(status)));
    }
    Verdict.check(c, probe, c.request().resolve(values));
  }

  private static String memo(String key, Supplier<String> create) {
    synchronized (MEMO) {
      return MEMO.computeIfAbsent(key, k -> create.get());
    }
  }

  private static String forgedId() {
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String endedSession() {
    String session = Shopper.start().session();
    given().cookie("SOUQ_SESSION", session).delete("/api/sessions/current").then().statusCode(204);
    return session;
  }

  /** A fresh order moved along the machine to {@code status}. */
  private static String orderIn(String status) {
    long order = Shopper.start().placeOrder(1, 1);
    List<String> path =
        switch (status) {
          case "PENDING" -> List.of();
          case "PAID" -> List.of("PAID");
          case "SHIPPED" -> List.of("PAID", "SHIPPED");
          case "DELIVERED" -> List.of("PAID", "SHIPPED", "DELIVERED");
          case "CANCELLED" -> List.of("CANCELLED");
          default -> throw new IllegalArgumentException(status);
        };
    for (String next : path) {
      Shopper.changeStatus(order, next).then().statusCode(200);
    }
    return Long.toString(order);
  }
}
