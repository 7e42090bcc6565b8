package dev.souq.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.souq.devstack.Component;
import dev.souq.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * deploy/observability/exposed-metrics.txt, what the dashboards and alerts read, is true of the
 * packaged services: once an order was placed (its payment declined once, so the worker retries), a
 * live connection got its updates and a job died, each service's /q/metrics has every family listed
 * for it, with its labels.
 */
@ExtendWith(RunningSouq.class)
class ExposedMetricsIT {
  private static final Path SNAPSHOT =
      Path.of(System.getProperty("souq.home", ".."))
          .resolve("deploy/observability/exposed-metrics.txt");
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][\\w:]*)(?:\\{([^}]*)\\})?");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"");

  private static SouqSystem system;

  @BeforeAll
  static void useTheRunningShop(SouqSystem running) {
    system = running;
  }

  @AfterEach
  void approvePaymentsAgain() throws Exception {
    system.restartWith(Component.WORKER, Map.of());
  }

  @Test
  void everyFamilyTheDashboardsAndAlertsReadIsOnItsServicesMetrics() throws Exception {
    // A fresh worker: its lazily made meters (retried, dead, queue wait, …) appear only from here.
    system.restartWith(
        Component.WORKER,
        Map.of("WORKER_SHOP_PAYMENT_DECLINES", "1", "WORKER_BACKOFF_INITIAL", "1s"));
    String session = system.guestSession();
    try (LiveSocket live = new LiveSocket(system.url(), session)) {
      // Answered only once the server holds the connection as the session's.
      live.send("{\"type\":\"resume\",\"since\":\"0-0\"}");
      await().atMost(Duration.ofSeconds(10)).until(() -> !live.texts().isEmpty());
      shop().get("/api/products/3").then().statusCode(200);
      long order = placeOrder(session);
      await("the worker paid the order at its second attempt")
          .atMost(Duration.ofSeconds(60))
          .until(() -> "PAID".equals(status(session, order)));
      await("the live connection got PAID")
          .atMost(Duration.ofSeconds(30))
          .until(() -> live.texts().stream().anyMatch(text -> text.contains("PAID")));
    }
    // An echo job without reply_to fails for good: a dead letter.
    shop()
        .header("Authorization", Tokens.ADMIN_BEARER)
        .contentType(ContentType.JSON)
        .body(Map.of("type", "echo", "payload", Map.of()))
        .post("/api/tasks")
        .then()
        .statusCode(202);
    // A page of another site asking for the shopper's stream: refused and counted.
    shop()
        .cookie("SOUQ_SESSION", session)
        .header("Origin", "https://elsewhere.example")
        .get("/sse/orders")
        .then()
        .statusCode(403);

    Map<String, List<String[]>> listed = snapshot();
    for (Component component : Component.values()) {
      List<String[]> families = listed.get(component.module());
      assertFalse(families == null || families.isEmpty(), component.module() + " lists nothing");
      await(component.module() + "'s /q/metrics has every family listed for it")
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertEquals(List.of(), missing(families, scrape(component))));
    }
  }

  private static RequestSpecification shop() {
    return given().baseUri(system.url());
  }

  private static long placeOrder(String session) {
    system.fillCart(session, 3, 1);
    return system.placeCart(session);
  }

  private static String status(String session, long order) {
    return shop()
        .cookie("SOUQ_SESSION", session)
        .get("/api/orders/" + order)
        .then()
        .extract()
        .path("status");
  }

  /** exposed-metrics.txt by service: each family as {name, type, label…}. */
  private static Map<String, List<String[]>> snapshot() throws Exception {
    Map<String, List<String[]>> listed = new HashMap<>();
    List<String[]> current = null;
    for (String line : Files.readAllLines(SNAPSHOT)) {
      line = line.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("[")) {
        current = new ArrayList<>();
        listed.put(line.substring(1, line.length() - 1), current);
      } else {
        current.add(line.split("\\s+"));
      }
    }
    return listed;
  }

  /** The component's series names, each with every label name any of its samples carries. */
  private static Map<String, Set<String>> scrape(Component component) {
    String text =
        given().baseUri(system.management(component).toString()).get("/q/metrics").asString();
    Map<String, Set<String>> series = new HashMap<>();
    for (String line : text.lines().toList()) {
      Matcher sample = SAMPLE.matcher(line);
      if (line.startsWith("#") || !sample.find()) {
        continue;
      }
      Set<String> labels = series.computeIfAbsent(sample.group(1), name -> new HashSet<>());
      if (sample.group(2) != null) {
        LABEL.matcher(sample.group(2)).results().forEach(label -> labels.add(label.group(1)));
      }
    }
    return series;
  }

  /** What of the listed families the scrape lacks: a series, or a label. */
  private static List<String> missing(List<String[]> families, Map<String, Set<String>> series) {
    List<String> missing = new ArrayList<>();
    for (String[] family : families) {
      String name = family[0];
      List<String> names =
          switch (family[1]) {
            case "counter", "gauge" -> List.of(name);
            case "summary" -> List.of(name + "_count", name + "_sum", name + "_max");
            case "histogram" ->
                List.of(name + "_count", name + "_sum", name + "_max", name + "_bucket");
            default -> throw new IllegalStateException(name + ": unknown type " + family[1]);
          };
      for (String wanted : names) {
        Set<String> labels = series.get(wanted);
        if (labels == null) {
          missing.add(wanted);
          continue;
        }
        for (int i = 2; i < family.length; i++) {
          if (!labels.contains(family[i])) {
            missing.add(wanted + " without label " + family[i]);
          }
        }
      }
    }
    return missing;
  }
}
