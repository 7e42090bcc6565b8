package dev.souq.order.ratelimit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With the proxy settings the Kubernetes manifests give (X-Forwarded-For honoured from the trusted
 * proxies' range only), a client that is not in that range cannot claim another address: every
 * forged X-Forwarded-For still spends its socket address's budget.
 */
@QuarkusTest
@TestProfile(ForgedForwardedForTest.BehindTheIngress.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class ForgedForwardedForTest {
  private static final int BUDGET = 5;
  private static final String SOCKET_BUDGET = "{rate_limit}:127.0.0.1";
  private static final String FORGED = "{rate_limit}:203.0.113.*";

  /**
   * {@code QUARKUS_HTTP_PROXY_*} as deploy/kubernetes/base/configmap.yaml sets them, a per-ip
   * budget of five a minute (one per 12 s: no refill during the test), and a Redis timeout a loaded
   * machine cannot hit, so no request fails open.
   */
  public static class BehindTheIngress implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> config = new HashMap<>(manifestProxySettings());
      config.put("souq.rate-limit.per-minute", Integer.toString(BUDGET));
      config.put("souq.rate-limit.redis-timeout", "10s");
      return config;
    }
  }

  /** The configmap's {@code QUARKUS_HTTP_PROXY_*} entries, as {@code quarkus.http.proxy.*}. */
  static Map<String, String> manifestProxySettings() {
    Pattern entry = Pattern.compile("^\\s+QUARKUS_HTTP_PROXY_([A-Z_]+):\\s*\"?([^\"#]*?)\"?\\s*$");
    Map<String, String> settings = new HashMap<>();
    try {
      for (String line : Files.readAllLines(configMap())) {
        Matcher m = entry.matcher(line);
        if (m.matches()) {
          String name = m.group(1).toLowerCase(Locale.ROOT).replace('_', '-');
          settings.put("quarkus.http.proxy." + name, m.group(2));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return settings;
  }

  private static Path configMap() {
    Path relative = Path.of("deploy", "kubernetes", "base", "configmap.yaml");
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    throw new IllegalStateException("No " + relative + " above " + Path.of("").toAbsolutePath());
  }

  @BeforeEach
  @AfterEach
  void freshBudgets() {
    RedisCommand.run(TestStack.get().redisUrl(), "DEL", SOCKET_BUDGET);
    for (String key : RedisCommand.list(TestStack.get().redisUrl(), "KEYS", FORGED)) {
      RedisCommand.run(TestStack.get().redisUrl(), "DEL", key);
    }
  }

  @Test
  void aDifferentForgedXForwardedForOnEachRequestStillSpendsTheSocketAddressBudget() {
    // Without them Quarkus ignores X-Forwarded-For anyway, and this would prove nothing.
    assertEquals(
        Set.of(
            "quarkus.http.proxy.proxy-address-forwarding",
            "quarkus.http.proxy.allow-x-forwarded",
            "quarkus.http.proxy.trusted-proxies"),
        manifestProxySettings().keySet());
    List<Integer> statuses = new ArrayList<>();
    List<String> remaining = new ArrayList<>();
    for (int i = 1; i <= BUDGET + 3; i++) {
      // Each claims a new client, some behind an address of the trusted range itself.
      String forged = i % 2 == 0 ? "203.0.113." + i : "203.0.113." + i + ", 10.0.0." + i;
      Response response = given().header("X-Forwarded-For", forged).get("/api/sessions/current");
      statuses.add(response.statusCode());
      remaining.add(response.header("RateLimit"));
    }
    // Five admitted (401: no session), each one less left; then 429 for every other.
    assertEquals(List.of(401, 401, 401, 401, 401, 429, 429, 429), statuses);
    assertEquals(
        List.of(
            "\"per-ip\";r=4",
            "\"per-ip\";r=3",
            "\"per-ip\";r=2",
            "\"per-ip\";r=1",
            "\"per-ip\";r=0",
            "\"per-ip\";r=0",
            "\"per-ip\";r=0",
            "\"per-ip\";r=0"),
        remaining.stream().map(r -> r.replaceFirst(";t=\\d+$", "")).toList());
    assertEquals(1L, RedisCommand.call(TestStack.get().redisUrl(), "EXISTS", SOCKET_BUDGET));
    assertEquals(List.of(), RedisCommand.list(TestStack.get().redisUrl(), "KEYS", FORGED));
  }
}
