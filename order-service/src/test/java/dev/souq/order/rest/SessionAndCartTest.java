package dev.souq.order.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.devstack.testing.CatalogTestResource;
import dev.souq.devstack.testing.RedisCommand;
import dev.souq.devstack.testing.SouqTestResource;
import dev.souq.devstack.testing.TestStack;
import dev.souq.order.Shopper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class SessionAndCartTest {

  @Test
  void sessionCookieIsOpaqueHttpOnlyAndLax() {
    var response = given().post("/api/sessions").then().statusCode(201).extract().response();
    String setCookie = response.header("Set-Cookie");
    assertTrue(setCookie.contains("HttpOnly"), setCookie);
    assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
    assertTrue(setCookie.contains("Path=/"), setCookie);
    String id = response.cookie("SOUQ_SESSION");
    assertTrue(id.length() >= 43, "256-bit id: " + id);
    assertTrue(response.jsonPath().getString("user_id").startsWith("u_"));
    given()
        .cookie("SOUQ_SESSION", id)
        .get("/api/sessions/current")
        .then()
        .statusCode(200)
        .body("session_id", equalTo(id));
  }

  @Test
  void sessionTtlSlidesOnUse() {
    Shopper shopper = Shopper.start();
    String key = "session:" + shopper.session();
    RedisCommand.run(TestStack.get().redisUrl(), "EXPIRE", key, "100");
    assertTrue(
        Long.parseLong(RedisCommand.run(TestStack.get().redisUrl(), "TTL", key).substring(1))
            <= 100);
    given().cookie("SOUQ_SESSION", shopper.session()).get("/api/cart").then().statusCode(200);
    long ttl =
        Long.parseLong(RedisCommand.run(TestStack.get().redisUrl(), "TTL", key).substring(1));
    assertTrue(ttl > 3500, "renewed to ~3600 s, was " + ttl);
  }

  @Test
  void logoutKillsTheSessionAndForgedIdsAreRejected() {
    Shopper shopper = Shopper.start();
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .delete("/api/sessions/current")
        .then()
        .statusCode(204);
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .get("/api/cart")
        .then()
        .statusCode(401)
        .contentType("application/problem+json");
    for (String forged : List.of("x", "a".repeat(43), "../../etc", "' OR 1=1 --")) {
      given().cookie("SOUQ_SESSION", forged).get("/api/sessions/current").then().statusCode(401);
    }
    given().get("/api/orders").then().statusCode(401);
  }

  @Test
  void cartIsKeptInTheSession() {
    Shopper shopper = Shopper.start();
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .get("/api/cart")
        .then()
        .body("items", hasSize(0));
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .contentType(ContentType.JSON)
        .body(Map.of("items", List.of(Map.of("product_id", 3, "quantity", 2))))
        .put("/api/cart")
        .then()
        .statusCode(200)
        .body("items[0].product_id", equalTo(3));
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .get("/api/cart")
        .then()
        .body("items[0].quantity", equalTo(2));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"items\":[{\"product_id\":1,\"quantity\":0}]}",
        "{\"items\":[{\"product_id\":1,\"quantity\":100}]}",
        "{\"items\":[{\"product_id\":-1,\"quantity\":1}]}",
        "{\"items\":[{\"product_id\":\"x\",\"quantity\":1}]}",
        "{\"items\":[{\"product_id\":1}]}",
        "{\"items\":[null]}",
        "{\"items\":[{\"product_id\":1,\"quantity\":1,\"price_cents\":1}]}",
        "{\"items\":",
        "HUGE"
      })
  void badCartsAre400Problems(String body) {
    String payload =
        body.equals("HUGE")
            ? "{\"items\":["
                + String.join(",", Collections.nCopies(51, "{\"product_id\":1,\"quantity\":1}"))
                + "]}"
            : body;
    Shopper shopper = Shopper.start();
    given()
        .cookie("SOUQ_SESSION", shopper.session())
        .contentType(ContentType.JSON)
        .body(payload)
        .put("/api/cart")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("detail", not(containsString("Exception")));
  }
}
