package dev.souq.order.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Concurrent requests share the limit exactly, though their checks reach Redis in batches. */
@QuarkusTest
@TestProfile(RateLimitTest.Limited.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class ConcurrentBudgetTest {
  private static final Pattern REMAINING = Pattern.compile("r=(\\d+)");

  @TestHTTPResource("/api/sessions/current")
  URI endpoint;

  @Test
  void aBurstOf250ConcurrentRequestsAdmitsTheBudgetAndEachAdmittedOneHasItsOwnPosition() {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    // Requests first, so the limiter's Redis connection is open before the burst.
    RateLimitTest.freshBudget();
    long start = System.nanoTime();
    List<HttpResponse<String>> responses =
        IntStream.range(0, 250)
            .mapToObj(
                i ->
                    client.sendAsync(
                        HttpRequest.newBuilder(endpoint).GET().build(),
                        HttpResponse.BodyHandlers.ofString()))
            .toList()
            .stream()
            .map(CompletableFuture::join)
            .toList();
    long refills = (System.nanoTime() - start) / 600_000_000L + 1;
    List<HttpResponse<String>> admitted =
        responses.stream().filter(r -> r.statusCode() != 429).toList();
    assertTrue(
        admitted.size() >= 100 && admitted.size() <= 100 + refills, "admitted " + admitted.size());
    // Each admission lowers what remains by one: every position from 99 to 0 was handed out.
    Set<Integer> positions =
        admitted.stream().map(ConcurrentBudgetTest::remaining).collect(Collectors.toSet());
    assertTrue(
        positions.containsAll(IntStream.range(0, 100).boxed().toList()), "positions " + positions);
    for (HttpResponse<String> r : responses) {
      assertEquals(
          "\"per-ip\";q=100;w=60", r.headers().firstValue("RateLimit-Policy").orElse(null));
      if (r.statusCode() == 429) {
        assertEquals(0, remaining(r));
        assertTrue(
            Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()) >= 1,
            "Retry-After");
        assertTrue(
            r.headers()
                .firstValue("Content-Type")
                .orElseThrow()
                .startsWith("application/problem+json"));
      }
    }
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", "{rate_limit}:127.0.0.1");
  }

  private static int remaining(HttpResponse<String> response) {
    Matcher m = REMAINING.matcher(response.headers().firstValue("RateLimit").orElseThrow());
    assertTrue(m.find(), "RateLimit header");
    return Integer.parseInt(m.group(1));
  }
}
