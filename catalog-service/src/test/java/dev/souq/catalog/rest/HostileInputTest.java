package dev.souq.catalog.rest;

import static io.restassured.RestAssured.given;

import dev.souq.catalog.Products;
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
import io.restassured.http.ContentType;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * catalog-service against hostile input, over a raw socket: every case gets its stated status,
 * never a 5xx, a reset or a hang, and every 4xx the application gives is problem+json.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class HostileInputTest {
  private static final String ADMIN = "Authorization: " + Tokens.ADMIN_BEARER;
  private static final String TEMPLATE =
      "{\"sku\":${sku},\"name\":${name},\"description\":${description},"
          + "\"price_cents\":${price_cents},\"currency\":${currency},\"category\":${category},"
          + "\"stock\":${stock}}";
  private static final String SERVICE = "Authorization: " + Tokens.SERVICE_BEARER;
  private static final String RESERVATION =
      "{\"order_id\":${order_id},\"lines\":[{\"product_id\":{{stocked}},"
          + "\"quantity\":${quantity}}]}";
  private static final int LIMIT = 64 * 1024;
  private static volatile Long product;
  private static volatile Long stocked;

  @TestHTTPResource("/")
  URL root;

  static Stream<HostileCase> cases() {
    List<HostileCase> all = new ArrayList<>();
    all.addAll(
        product("POST /api/products", Request.of("POST", "/api/products"))
            .success(Expect.status(201))
            .cases());
    all.addAll(
        product("PUT /api/products/{id}", Request.of("PUT", "/api/products/{{product}}"))
            .success(Expect.status(200))
            .cases());
    String validBody =
        "{\"sku\":\"T-{{uniq}}\",\"name\":\"n\",\"price_cents\":1,\"currency\":\"EUR\","
            + "\"category\":\"hostile\",\"stock\":1}";
    all.addAll(
        RequestCases.numericIds(
            "GET /api/products/{id}", id -> Request.of("GET", "/api/products/" + id)));
    all.addAll(
        RequestCases.numericIds(
            "PUT /api/products/{id}",
            id ->
                Request.of("PUT", "/api/products/" + id, ADMIN, "Content-Type: application/json")
                    .body(validBody)));
    all.addAll(
        RequestCases.numericIds(
            "DELETE /api/products/{id}", id -> Request.of("DELETE", "/api/products/" + id, ADMIN)));
    all.addAll(RequestCases.traversal("/api/products/"));
    // The bounds of delta are valid requests that this product's stock may refuse (409, 422).
    all.addAll(
        JsonBodyCases.of(
                "POST /api/products/{id}/stock",
                Request.of("POST", "/api/products/{{product}}/stock"),
                "{\"delta\":${delta}}")
            .operator(ADMIN)
            .limit(LIMIT)
            .success(Expect.status(200, 409, 422))
            .integer("delta", 1, -1_000_000_000, 1_000_000_000, true, true)
            .cases());
    all.addAll(
        JsonBodyCases.of(
                "PUT /api/stock/reservations/{placement}",
                Request.of("PUT", "/api/stock/reservations/{{placement}}"),
                RESERVATION)
            .operator(SERVICE)
            .limit(LIMIT)
            .success(Expect.status(201))
            .integer("order_id", 1, 1, Long.MAX_VALUE, false, true)
            .integer("quantity", 1, 1, 1000, true, true)
            .cases());
    all.addAll(RequestCases.traversal("/api/stock/reservations/", SERVICE));
    all.add(
        new HostileCase(
            "reservation",
            "PUT /api/stock/reservations/{placement} with a null line",
            Request.of(
                    "PUT",
                    "/api/stock/reservations/{{placement}}",
                    SERVICE,
                    "Content-Type: application/json")
                .body("{\"order_id\":1,\"lines\":[null]}"),
            Expect.status(400)));
    all.addAll(
        RequestCases.headers(
            "GET /api/products", Request.of("GET", "/api/products"), Expect.status(200)));
    all.addAll(queries());
    return all.stream();
  }

  private static JsonBodyCases product(String label, Request base) {
    return JsonBodyCases.of(label, base, TEMPLATE)
        .operator(ADMIN)
        .limit(LIMIT)
        .string("sku", "T-{{uniq}}", Text.CODE, 64)
        .string("name", "Hostile product", Text.LINE, 200)
        .optionalString("description", "made by a test", Text.PROSE, 4000)
        .integer("price_cents", 1234, 0, 10_000_000_000L, false, true)
        .string("currency", "EUR", Text.CODE, 0)
        .string("category", "hostile", Text.CODE, 64)
        .integer("stock", 7, 0, 1_000_000_000, true, false);
  }

  private static List<HostileCase> queries() {
    String[][] refused = {
      {"page=-1", "page=-1"},
      {"page=10001", "page=10001"},
      {"size=0", "size=0"},
      {"size=101", "size=101"},
      {"page=2^31", "page=2147483648"},
      {"page=abc", "page=abc"},
      {"page=1.5", "page=1.5"},
      {"category with NUL", "category=a%00b"},
      {"category with RTL override", "category=a%E2%80%AEb"},
      {"category upper case", "category=Kitchen"},
      {"category of 65 chars", "category=" + "a".repeat(65)},
      {"category with overlong UTF-8", "category=%C0%AE"},
    };
    List<HostileCase> cases = new ArrayList<>();
    // An unset form field is no category, as docs/contract.md writes the URL.
    cases.add(
        new HostileCase(
            "query params",
            "GET /api/products?category= (empty)",
            Request.of("GET", "/api/products?page=0&size=20&category="),
            Expect.status(200)));
    for (String[] query : refused) {
      cases.add(
          new HostileCase(
              "query params",
              "GET /api/products?" + query[0],
              Request.of("GET", "/api/products?" + query[1]),
              Expect.status(400, 404)));
    }
    return cases;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isAnsweredAsStated(HostileCase c) {
    HttpProbe probe = new HttpProbe(root.getHost(), root.getPort(), Duration.ofSeconds(20));
    Map<String, Supplier<String>> values =
        Map.of(
            "uniq",
            () -> UUID.randomUUID().toString().replace("-", "").substring(0, 12),
            "product",
            HostileInputTest::product,
            "placement",
            () -> UUID.randomUUID().toString(),
            "stocked",
            HostileInputTest::stocked);
    Verdict.check(c, probe, c.request().resolve(values));
  }

  /**
   * A product no number of reservations here runs out of; its id padded with spaces (JSON allows
   * them) to the length of "{{stocked}}", so the size-limit cases send exactly the size they name.
   */
  private static synchronized String stocked() {
    if (stocked == null) {
      Map<String, Object> body = new HashMap<>(Products.body("hostile", 100));
      body.put("stock", 1_000_000_000);
      stocked =
          given()
              .header("Authorization", Tokens.ADMIN_BEARER)
              .contentType(ContentType.JSON)
              .body(body)
              .post("/api/products")
              .then()
              .statusCode(201)
              .extract()
              .jsonPath()
              .getLong("id");
    }
    return String.format("%-" + "{{stocked}}".length() + "s", stocked);
  }

  private static synchronized String product() {
    if (product == null) {
      product = Products.create("hostile", 100);
    }
    return Long.toString(product);
  }
}
