package dev.souq.worker.queue;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.devstack.testing.SouqTestResource;
import dev.souq.worker.handler.Runs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class MalformedJobsTest {
  @Inject RedisDataSource redis;
  @Inject TaskKeys keys;
  @Inject Runs runs;

  @Test
  void everyMalformedJobIsADeadLetterWithItsReasonAndTheWorkerDrainsOn() {
    String m = Jobs.name("bad");
    Map<String, String> expected =
        Map.of(
            "not json " + m, "not_json",
            "[\"" + m + "\"]", "not_an_object",
            "{\"payload\":{\"m\":\"" + m + "\"}}", "missing_type",
            "{\"type\":\"no_such_type\",\"payload\":{\"m\":\"" + m + "\"}}", "unknown_type",
            "{\"type\":\"Bad Type!\",\"payload\":{\"m\":\"" + m + "\"}}", "invalid_type",
            "{\"type\":\"test_flaky\",\"payload\":\"" + m + "\"}", "invalid_envelope",
            "{\"type\":\"test_flaky\",\"attempt\":-1,\"payload\":{\"m\":\"" + m + "\"}}",
                "invalid_envelope");
    Jobs.push(redis, expected.keySet().toArray(String[]::new));
    String good = Jobs.name("good-after-bad");
    Jobs.push(redis, Jobs.task("test_flaky", Map.of("name", good), null));

    await().atMost(Duration.ofSeconds(20)).until(() -> runs.of(good).size() == 1);
    List<Map<String, Object>> dead =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> Jobs.deadLettersWith(redis, m), list -> list.size() == expected.size());
    for (Map<String, Object> letter : dead) {
      String job = (String) letter.get("job");
      assertEquals(expected.get(job), letter.get("reason"), "reason of " + job);
      assertTrue(letter.get("error") != null && !((String) letter.get("error")).isBlank());
      assertEquals(0, letter.get("attempts"));
      assertTrue(letter.get("dead_at") != null);
    }
  }

  @Test
  void aTenMegabyteJobIsADeadLetterKeptWhole() {
    String m = Jobs.name("huge");
    String job =
        "{\"type\":\"test_flaky\",\"payload\":{\"m\":\""
            + m
            + "\",\"blob\":\""
            + "x".repeat(10 * 1024 * 1024)
            + "\"}}";
    Jobs.push(redis, job);
    String good = Jobs.name("good-after-huge");
    Jobs.push(redis, Jobs.task("test_flaky", Map.of("name", good), null));

    await().atMost(Duration.ofSeconds(30)).until(() -> runs.of(good).size() == 1);
    JsonPath letter =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    given()
                        .header("Authorization", "Bearer test-admin-token")
                        .get("/api/tasks/dead?limit=500")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath(),
                page ->
                    page.getList("items.job", String.class).stream().anyMatch(j -> j.contains(m)));
    int index =
        letter
            .getList("items.job", String.class)
            .indexOf(
                letter.getList("items.job", String.class).stream()
                    .filter(j -> j.contains(m))
                    .findFirst()
                    .get());
    assertEquals("too_large", letter.getString("items[" + index + "].reason"));
    assertEquals(job.length(), letter.getInt("items[" + index + "].job_size"));
    assertTrue(
        letter.getString("items[" + index + "].job").length() < 3000, "the list shows a preview");
    assertEquals(
        job.length(),
        redis.list(String.class).lrange(keys.dead(), 0, -1).stream()
            .filter(e -> e.contains(m))
            .findFirst()
            .map(e -> Jobs.map(e).get("job").toString().length())
            .orElse(-1));
  }
}
