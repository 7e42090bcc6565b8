package dev.souq.worker.queue;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.testing.SouqTestResource;
import dev.souq.testing.Tokens;
import dev.souq.worker.config.WorkerConfig;
import dev.souq.worker.handler.Runs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Garbage pushed raw on {@code tasks}, as a broken or hostile producer would: each kind ends as
 * exactly one dead letter with its reason, leaves no processing list holding its bytes, and the
 * worker runs a normal job pushed after all of it.
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class GarbageJobsTest {
  @Inject RedisDataSource redis;
  @Inject TaskKeys keys;
  @Inject Runs runs;
  @Inject WorkerConfig config;

  /** One kind of garbage: its bytes and the reason its dead letter must give. */
  private record Garbage(byte[] bytes, String reason) {}

  @Test
  void everyKindOfGarbageIsExactlyOneDeadLetterAndLeavesNoProcessingList() {
    String m = Jobs.name("garbage");
    Map<String, Garbage> kinds = kinds(m);
    assertTrue(kinds.size() >= 20, "only " + kinds.size() + " kinds");
    Map<String, Long> before = deadLettersBySha();

    List<byte[]> pushed = kinds.values().stream().map(Garbage::bytes).toList();
    redis.list(byte[].class).lpush(TaskKeys.QUEUE, pushed.toArray(byte[][]::new));
    String good = Jobs.name("good-after-garbage");
    Jobs.push(redis, Jobs.task("test_flaky", Map.of("name", good), null));

    await().atMost(Duration.ofSeconds(30)).until(() -> runs.of(good).size() == 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> allBuried(kinds.values(), before, deadLettersBySha()));

    Map<String, Long> after = deadLettersBySha();
    Map<String, Map<String, Object>> letters = lettersBySha();
    kinds.forEach(
        (kind, garbage) -> {
          String sha = Digests.sha256(garbage.bytes());
          assertEquals(
              before.getOrDefault(sha, 0L) + 1, after.get(sha), kind + ": one dead letter");
          Map<String, Object> letter = letters.get(sha);
          assertEquals(garbage.reason(), letter.get("reason"), kind);
          assertEquals(garbage.bytes().length, ((Number) letter.get("job_size")).intValue(), kind);
          if (!(Boolean) letter.get("job_truncated")) {
            assertArrayEquals(garbage.bytes(), kept(letter), kind + ": kept byte for byte");
          }
        });
    for (String key : queueAndProcessingLists()) {
      for (byte[] held : redis.list(byte[].class).lrange(key, 0, -1)) {
        assertTrue(pushed.stream().noneMatch(p -> Arrays.equals(p, held)), key + " kept garbage");
      }
    }
  }

  @Test
  void aHugeJobsDeadLetterKeepsABoundedPrefixAndCannotBeRetried() {
    byte[] job = fiveMegabytes(Jobs.name("huge"));
    String sha = Digests.sha256(job);
    redis.list(byte[].class).lpush(TaskKeys.QUEUE, job);

    Map<String, Object> letter =
        await().atMost(Duration.ofSeconds(30)).until(() -> lettersBySha().get(sha), l -> l != null);
    assertEquals("too_large", letter.get("reason"));
    assertEquals(job.length, ((Number) letter.get("job_size")).intValue());
    assertEquals(true, letter.get("job_truncated"));
    byte[] kept = kept(letter);
    assertEquals(config.deadLetterJobBytes(), kept.length);
    assertArrayEquals(Arrays.copyOf(job, kept.length), kept, "a prefix of the job");
    long stored =
        redis.list(byte[].class).lrange(keys.dead(), 0, -1).stream()
            .filter(e -> new String(e, StandardCharsets.UTF_8).contains(sha))
            .mapToLong(e -> e.length)
            .sum();
    assertTrue(stored < config.deadLetterJobBytes() + 4096, "stored " + stored + " bytes");

    String id = (String) letter.get("id");
    operator()
        .get("/api/tasks/dead?limit=500")
        .then()
        .statusCode(200)
        .body("items.find { it.id == '" + id + "' }.job_size", equalTo(job.length))
        .body("items.find { it.id == '" + id + "' }.job_sha256", equalTo(sha))
        .body("items.find { it.id == '" + id + "' }.job.length()", lessThan(2100));
    operator()
        .post("/api/tasks/dead/" + id + "/retry")
        .then()
        .statusCode(409)
        .contentType("application/problem+json")
        .body("detail", containsString(sha));
    operator().delete("/api/tasks/dead/" + id).then().statusCode(204);
    assertEquals(null, lettersBySha().get(sha));
  }

  @Test
  void aDeadLetterThatIsNotUtf8IsRetriedByteForByte() {
    byte[] job = garbage("x", 0xff, 0x00, 0xc0, 0x80, " " + Jobs.name("retry-bytes")).bytes();
    String sha = Digests.sha256(job);
    redis.list(byte[].class).lpush(TaskKeys.QUEUE, job);
    String first =
        (String)
            await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> lettersBySha().get(sha), l -> l != null)
                .get("id");

    operator().post("/api/tasks/dead/" + first + "/retry").then().statusCode(202);

    // The same bytes went round again: a new dead letter of the same job, the old one gone.
    Map<String, Object> again =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> lettersBySha().get(sha), l -> l != null && !first.equals(l.get("id")));
    assertArrayEquals(job, kept(again));
    assertEquals(1L, deadLettersBySha().get(sha));
  }

  private static RequestSpecification operator() {
    return given().header("Authorization", Tokens.ADMIN_BEARER);
  }

  private static byte[] fiveMegabytes(String marker) {
    return json(
        "{\"type\":\"test_flaky\",\"payload\":{\"m\":\""
            + marker
            + "\",\"blob\":\""
            + "x".repeat(5 * 1024 * 1024)
            + "\"}}");
  }

  private Map<String, Garbage> kinds(String m) {
    Map<String, Garbage> kinds = new LinkedHashMap<>();
    String envelope = "{\"payload\":{\"m\":\"" + m + "\"},\"type\":";
    kinds.put("invalid UTF-8", garbage("not_utf8", 0, 1, 2, 0xff, 0xfe, 0xc0, 0x80, " " + m));
    kinds.put("overlong UTF-8", garbage("not_utf8", envelope + "\"test_fl", 0xc1, 0xa1, "ky\"}"));
    kinds.put("UTF-8 surrogate", garbage("not_utf8", envelope + "\"a", 0xed, 0xa0, 0x80, "\"}"));
    kinds.put("UTF-16 with BOM", garbage("not_utf8", 0xff, 0xfe, utf16(envelope + "\"noop\"}")));
    kinds.put("NUL alone", garbage("not_json", 0));
    kinds.put("raw NUL in a string", garbage("not_json", envelope + "\"test_", 0, "flaky\"}"));
    kinds.put("BOM", garbage("not_json", 0xef, 0xbb, 0xbf, envelope + "\"test_flaky\"}"));
    kinds.put("empty", garbage("not_json", ""));
    kinds.put("whitespace", garbage("not_json", " \t\r\n "));
    kinds.put("five megabytes", new Garbage(fiveMegabytes(m + "-5mb"), "too_large"));
    // Fewer characters than worker.max-job-bytes, more bytes.
    int chars = config.maxJobBytes() / 2 + 64;
    kinds.put(
        "over the limit in bytes only",
        garbage("too_large", envelope + "\"test_flaky\",\"x\":\"" + "é".repeat(chars) + "\"}"));
    kinds.put(
        "10,000-deep arrays", garbage("not_json", "[".repeat(10_000) + m + "]".repeat(10_000)));
    kinds.put(
        "10,000-deep objects in the payload",
        garbage(
            "not_json",
            envelope
                + "\"test_flaky\",\"x\":"
                + "{\"a\":".repeat(10_000)
                + "1"
                + "}".repeat(10_001)));
    kinds.put("truncated JSON", garbage("not_json", envelope + "\"test_flaky\",\"x\":{\"na"));
    kinds.put("trailing data", garbage("not_json", envelope + "\"test_flaky\"} garbage"));
    kinds.put("duplicate key", garbage("not_json", envelope + "\"test_flaky\",\"type\":\"x\"}"));
    kinds.put("a number", garbage("not_an_object", "42"));
    kinds.put("a string", garbage("not_an_object", "\"" + m + "\""));
    kinds.put("an array of objects", garbage("not_an_object", "[{\"type\":\"test_flaky\"}]"));
    kinds.put("type a number", garbage("missing_type", envelope + "7}"));
    kinds.put("type null", garbage("missing_type", envelope + "null}"));
    kinds.put("type an array", garbage("missing_type", envelope + "[\"test_flaky\"]}"));
    kinds.put("type an object", garbage("missing_type", envelope + "{\"name\":\"test_flaky\"}}"));
    kinds.put("type empty", garbage("missing_type", envelope + "\"\"}"));
    kinds.put("type unknown", garbage("unknown_type", envelope + "\"no_such_type\"}"));
    kinds.put("type too long", garbage("invalid_type", envelope + "\"" + "a".repeat(65) + "\"}"));
    kinds.put(
        "payload not an object",
        garbage("invalid_envelope", "{\"type\":\"noop\",\"payload\":\"" + m + "\"}"));
    return kinds;
  }

  /** Text (UTF-8), byte arrays and single byte values, concatenated. */
  private static Garbage garbage(String reason, Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof Integer b) {
        out.write(b);
      } else if (part instanceof byte[] bytes) {
        out.writeBytes(bytes);
      } else {
        out.writeBytes(json(part.toString()));
      }
    }
    return new Garbage(out.toByteArray(), reason);
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] utf16(String text) {
    return text.getBytes(StandardCharsets.UTF_16LE);
  }

  private static byte[] kept(Map<String, Object> letter) {
    Object base64 = letter.get("job_base64");
    return base64 != null
        ? Base64.getDecoder().decode((String) base64)
        : json((String) letter.get("job"));
  }

  private static boolean allBuried(
      Iterable<Garbage> kinds, Map<String, Long> before, Map<String, Long> now) {
    for (Garbage garbage : kinds) {
      String sha = Digests.sha256(garbage.bytes());
      if (now.getOrDefault(sha, 0L) <= before.getOrDefault(sha, 0L)) {
        return false;
      }
    }
    return true;
  }

  /** How many dead letters name each job, by the job's SHA-256. */
  private Map<String, Long> deadLettersBySha() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String entry : redis.list(String.class).lrange(keys.dead(), 0, -1)) {
      Object sha = Jobs.map(entry).get("job_sha256");
      if (sha != null) {
        counts.merge((String) sha, 1L, Long::sum);
      }
    }
    return counts;
  }

  /** The newest dead letter of each job, by the job's SHA-256. */
  private Map<String, Map<String, Object>> lettersBySha() {
    Map<String, Map<String, Object>> letters = new LinkedHashMap<>();
    for (String entry : redis.list(String.class).lrange(keys.dead(), 0, -1)) {
      Map<String, Object> letter = Jobs.map(entry);
      if (letter.get("job_sha256") != null) {
        letters.putIfAbsent((String) letter.get("job_sha256"), letter);
      }
    }
    return letters;
  }

  private List<String> queueAndProcessingLists() {
    Set<String> workers = new HashSet<>(redis.set(String.class).smembers(keys.workers()));
    List<String> lists = new ArrayList<>(List.of(TaskKeys.QUEUE));
    workers.forEach(worker -> lists.add(keys.processing(worker)));
    return lists;
  }
}
