package dev.souq.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.catalog.Products;
import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class BatchLookupTest {

  @Test
  void returnsEachProductOnceInTheOrderFirstAskedAndListsUnknownIds() {
    long first = Products.create("batch", 100);
    long second = Products.create("batch", 200);
    long unknown = 999_999_999L;
    given()
        .queryParam("ids", second + "," + unknown + "," + first + "," + second)
        .get("/api/products/batch")
        .then()
        .statusCode(200)
        .contentType("application/json")
        .header("X-Cache", oneOf("HIT", "MISS", "BYPASS"))
        .body("items.id", contains((int) second, (int) first))
        .body("items.price_cents", contains(200, 100))
        .body("items[0].currency", equalTo("EUR"))
        .body("missing", contains((int) unknown));
  }

  @Test
  void servesHitsFromTheCacheAndSeesAWriteAtOnce() {
    long id = Products.create("batch", 300);
    given().queryParam("ids", id).get("/api/products/batch").then().statusCode(200);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(
            () ->
                "HIT"
                    .equals(
                        given()
                            .queryParam("ids", id)
                            .get("/api/products/batch")
                            .header("X-Cache")));
    Products.setPrice(id, 301);
    given()
        .queryParam("ids", id)
        .get("/api/products/batch")
        .then()
        .body("items[0].price_cents", equalTo(301));
  }

  @Test
  void onlyUnknownIdsGiveNoItems() {
    given()
        .queryParam("ids", "999999998,999999997")
        .get("/api/products/batch")
        .then()
        .statusCode(200)
        .body("items", empty())
        .body("missing", contains(999_999_998, 999_999_997));
  }

  @Test
  void takesAHundredIdsAndRefusesMore() {
    String hundred = LongStream.rangeClosed(1, 100).mapToObj(Long::toString).collect(joining());
    var answer =
        given()
            .queryParam("ids", hundred)
            .get("/api/products/batch")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertEquals(100, answer.getList("items").size() + answer.getList("missing").size());
    given()
        .queryParam("ids", hundred + ",101")
        .get("/api/products/batch")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("status", equalTo(400));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a", "1,,2", "1,", ",1", "-1", "1.5", "1 2", "１", "0", "1,0"})
  void refusesMalformedIds(String ids) {
    given()
        .queryParam("ids", ids)
        .get("/api/products/batch")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("status", equalTo(400));
  }

  @Test
  void takesTheLargestLongButRefusesAnIdPastItAndAMissingParameter() {
    given()
        .queryParam("ids", Long.MAX_VALUE)
        .get("/api/products/batch")
        .then()
        .statusCode(200)
        .body("missing[0]", equalTo(Long.MAX_VALUE));
    given()
        .queryParam("ids", "9223372036854775808")
        .get("/api/products/batch")
        .then()
        .statusCode(400)
        .contentType("application/problem+json");
    given()
        .queryParam("ids", "12345678901234567890")
        .get("/api/products/batch")
        .then()
        .statusCode(400);
    given()
        .get("/api/products/batch")
        .then()
        .statusCode(400)
        .contentType("application/problem+json")
        .body("status", equalTo(400));
  }

  @Test
  void singleProductEndpointStillAnswersBesideIt() {
    long id = Products.create("batch", 400);
    given().get("/api/products/" + id).then().statusCode(200).body("id", equalTo((int) id));
    given().queryParam("ids", id).get("/api/products/batch").then().body("items", hasSize(1));
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joining() {
    return Collectors.joining(",");
  }
}
