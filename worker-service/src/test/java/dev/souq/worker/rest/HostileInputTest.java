package dev.souq.worker.rest;

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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * worker-service's REST endpoints against hostile input, over a raw socket: every case gets its
 * stated status, never a 5xx, a reset or a hang, and every 4xx the application gives is
 * problem+json. (What is pushed raw on {@code tasks} is the queue's tests' business.)
 */
@QuarkusTest
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class HostileInputTest {
  private static final String ADMIN = "Authorization: " + Tokens.ADMIN_BEARER;
  private static final int LIMIT = 1024 * 1024;

  @TestHTTPResource("/")
  URL root;

  static Stream<HostileCase> cases() {
    List<HostileCase> all = new ArrayList<>();
    all.addAll(
        JsonBodyCases.of(
                "POST /api/tasks",
                Request.of("POST", "/api/tasks"),
                "{\"type\":${type},\"payload\":${payload},\"delay_seconds\":${delay_seconds},"
                    + "\"idempotency_key\":${idempotency_key}}")
            .operator(ADMIN)
            .limit(LIMIT)
            .string("type", "noop", Text.CODE, 0)
            .json("payload", "{\"n\":1}")
            .integer("delay_seconds", 0, 0, 2_592_000, false, false)
            .optionalString("idempotency_key", "k-{{uniq}}", Text.FREE, 256)
            .success(Expect.status(202))
            .cases());
    all.addAll(types());
    all.addAll(deadLetterIds("POST", "/retry"));
    all.addAll(deadLetterIds("DELETE", ""));
    all.addAll(scheduleNames());
    all.addAll(tokens());
    all.addAll(queries());
    all.addAll(RequestCases.traversal("/api/tasks/", ADMIN));
    all.addAll(
        RequestCases.headers(
            "GET /api/tasks/stats",
            Request.of("GET", "/api/tasks/stats", ADMIN),
            Expect.status(200)));
    return all.stream();
  }

  /** Task types no handler runs, or that are not task types at all. */
  private static List<HostileCase> types() {
    String[][] types = {
      {"unknown type", "\"no_such_type\"", "422"},
      {"empty", "\"\"", "400"},
      {"upper case", "\"NOOP\"", "400"},
      {"trailing space", "\"noop \"", "400"},
      {"with a space", "\"no op\"", "400"},
      {"65 characters", "\"" + "a".repeat(65) + "\"", "400"},
      {"non-ASCII letter", "\"n\\u00f6op\"", "400"},
      {"full-width letters", "\"\\uff4e\\uff4f\\uff4f\\uff50\"", "400"},
      {"NUL inside", "\"noop\\u0000\"", "400"},
      {"path-like", "\"../noop\"", "400"},
      {"Redis key-like", "\"tasks:dead\"", "400"},
      {"a number", "1", "400"},
      {"null", "null", "400"},
    };
    List<HostileCase> cases = new ArrayList<>();
    for (String[] type : types) {
      cases.add(
          new HostileCase(
              "task types",
              "POST /api/tasks type " + type[0],
              Request.of("POST", "/api/tasks", ADMIN, "Content-Type: application/json")
                  .body("{\"type\":" + type[1] + ",\"payload\":{}}"),
              Expect.status(Integer.parseInt(type[2]))));
    }
    String[][] payloads = {
      {"payload an array", "[]"},
      {"payload a string", "\"x\""},
      {"payload a number", "1"},
      {"idempotency_key empty", null},
    };
    for (String[] payload : payloads) {
      String body =
          payload[1] == null
              ? "{\"type\":\"noop\",\"idempotency_key\":\"\"}"
              : "{\"type\":\"noop\",\"payload\":" + payload[1] + "}";
      cases.add(
          new HostileCase(
              "task types",
              "POST /api/tasks " + payload[0],
              Request.of("POST", "/api/tasks", ADMIN, "Content-Type: application/json").body(body),
              Expect.status(400)));
    }
    return cases;
  }

  /** Dead letter ids are UUIDs: anything else is 404 before Redis is asked. */
  private static List<HostileCase> deadLetterIds(String method, String suffix) {
    String[][] ids = {
      {"random UUID (no such letter)", "{{uuid}}"},
      {"36 dashes", "-".repeat(36)},
      {"upper-case UUID", "{{UUID}}"},
      {"37 characters", "{{uuid}}0"},
      {"not an id", "not-an-id"},
      {"full-width digits", "%EF%BC%91".repeat(36)},
      {"NUL", "%00"},
      {"encoded traversal", "..%2F..%2Fstats"},
      {"Redis glob", "*"},
      {"1 KB", "a".repeat(1024)},
    };
    List<HostileCase> cases = new ArrayList<>();
    for (String[] id : ids) {
      cases.add(
          new HostileCase(
              "ids",
              method + " /api/tasks/dead/{id}" + suffix + " " + id[0],
              Request.of(method, "/api/tasks/dead/" + id[1] + suffix, ADMIN),
              Expect.status(404)));
    }
    return cases;
  }

  /** Schedule names are configured names: anything else is 404, never a job. */
  private static List<HostileCase> scheduleNames() {
    String[] names = {
      "no_such_schedule",
      "CANCEL_UNPAID_ORDERS",
      "cancel_unpaid_orders%20",
      "cancel_unpaid_orders%00",
      "..%2F..%2Fstats",
      "tasks:schedules",
      "*",
      "%EF%BD%8E%EF%BD%8F",
      "a".repeat(1024),
    };
    List<HostileCase> cases = new ArrayList<>();
    for (String name : names) {
      cases.add(
          new HostileCase(
              "schedules",
              "POST /api/tasks/schedules/{name}/run " + name,
              Request.of("POST", "/api/tasks/schedules/" + name + "/run", ADMIN),
              Expect.status(404)));
    }
    return cases;
  }

  /** Every operator endpoint refuses a missing or wrong token. */
  private static List<HostileCase> tokens() {
    String[][] endpoints = {
      {"GET", "/api/tasks/stats"},
      {"GET", "/api/tasks/dead"},
      {"POST", "/api/tasks/dead/{{uuid}}/retry"},
      {"DELETE", "/api/tasks/dead/{{uuid}}"},
      {"GET", "/api/tasks/schedules"},
      {"POST", "/api/tasks/schedules/cancel_unpaid_orders/run"},
    };
    String[][] tokens = {
      {"no token", null},
      {"wrong token", "Authorization: Bearer nope"},
      {"token with a suffix", "Authorization: " + Tokens.ADMIN_BEARER + "x"},
      {"Basic scheme", "Authorization: Basic dGVzdA=="},
      {"scheme only", "Authorization: Bearer"},
      {"10 KB token", "Authorization: Bearer " + "a".repeat(10_000)},
    };
    List<HostileCase> cases = new ArrayList<>();
    for (String[] endpoint : endpoints) {
      for (String[] token : tokens) {
        Request request = Request.of(endpoint[0], endpoint[1]);
        if (token[1] != null) {
          request = request.header(token[1]);
        }
        cases.add(
            new HostileCase(
                "operator token",
                endpoint[0] + " " + endpoint[1] + " " + token[0],
                request,
                Expect.status(401)));
      }
    }
    return cases;
  }

  private static List<HostileCase> queries() {
    String[] refused = {
      "offset=-1",
      "offset=1000001",
      "limit=0",
      "limit=501",
      "limit=abc",
      "limit=1.5",
      "offset=2147483648"
    };
    List<HostileCase> cases = new ArrayList<>();
    for (String query : refused) {
      cases.add(
          new HostileCase(
              "query params",
              "GET /api/tasks/dead?" + query,
              Request.of("GET", "/api/tasks/dead?" + query, ADMIN),
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
            "uniq", () -> UUID.randomUUID().toString().replace("-", "").substring(0, 12),
            "uuid", () -> UUID.randomUUID().toString(),
            "UUID", () -> UUID.randomUUID().toString().toUpperCase());
    Verdict.check(c, probe, c.request().resolve(values));
  }
}
