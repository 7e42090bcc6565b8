package dev.souq.worker.queue;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.testing.SouqTestResource;
import dev.souq.worker.handler.Runs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class MalformedJobsTest {
  @Inject RedisDataSource redis;
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
}
