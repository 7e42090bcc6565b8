package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.devstack.Component;
import dev.souq.devstack.ServiceProcess;
import dev.souq.testing.Management;
import dev.souq.testing.Replicas;
import io.quarkus.logging.Log;
import io.restassured.RestAssured;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart of one of two packaged replicas holding 1,000 connections, with updates flowing
 * throughout (issue 15): the stopping replica turns not-ready, closes its connections with 1012
 * spread over its drain window, and every browser is back on the other replica with every update
 * once, in order.
 */
class RollingRestartIT {
  private static final int USERS = 200;
  private static final int TABS = 5;
  private static final Duration WINDOW = Duration.ofSeconds(5);

  private final Replicas started =
      new Replicas(Component.NOTIFICATION)
          .with("NOTIFICATION_DRAIN_WINDOW", WINDOW.toSeconds() + "s")
          // 1,000 connections from one address, opened at once: not a flood here.
          .with("NOTIFICATION_MAX_CONNECTIONS_PER_CLIENT", "5000")
          .with("SOUQ_RATE_LIMIT_PER_MINUTE", "0");
  private final List<RoamingBrowser> browsers = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    browsers.forEach(RoamingBrowser::close);
    started.close();
  }

  @Test
  void aRestartedReplicasBrowsersMoveToTheOtherWithNoGapAndNoDuplicate() throws Exception {
    List<ServiceProcess> replicas = started.start(2);
    ServiceProcess leaving = replicas.get(0);
    ServiceProcess staying = replicas.get(1);
    URI[] bases = {leaving.uri().resolve("/"), staying.uri().resolve("/")};
    // The balancer, once the leaving replica is not ready: every reconnect goes to the other.
    Map<String, List<RoamingBrowser>> byUser = new LinkedHashMap<>();
    List<Future<RoamingBrowser>> opening = new ArrayList<>();
    for (int u = 0; u < USERS; u++) {
      String user = "u_roll_" + UUID.randomUUID();
      String session = Shoppers.write(user);
      byUser.put(user, new CopyOnWriteArrayList<>());
      for (int tab = 0; tab < TABS; tab++) {
        URI base = bases[(u * TABS + tab) % 2];
        opening.add(
            RoamingBrowser.open(base, session, () -> bases[1])
                .onSuccess(browser -> byUser.get(user).add(browser)));
      }
    }
    Future.all(opening).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    byUser.values().forEach(browsers::addAll);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertEquals(
                    List.of(500, 500),
                    List.of(connections(leaving), connections(staying)),
                    "connections on the leaving and the staying replica; turned away (1013) so far: "
                        + refusals()));

    // Every tab holds an offset before the restart, as the page does after its first fetch.
    Map<String, List<String>> published = new LinkedHashMap<>();
    byUser.keySet().forEach(user -> published.put(user, new CopyOnWriteArrayList<>()));
    publishOneEach(published);
    awaitEveryTabHasTheLast(byUser, published);

    // Updates keep coming, one user after another, while the replica drains.
    List<String> users = List.copyOf(byUser.keySet());
    AtomicInteger next = new AtomicInteger();
    ScheduledExecutorService flow = Executors.newSingleThreadScheduledExecutor();
    flow.scheduleAtFixedRate(
        () -> {
          String user = users.get(next.getAndIncrement() % users.size());
          published.get(user).add(Publisher.publish(user, Publisher.order(), "PAID"));
        },
        0,
        20,
        TimeUnit.MILLISECONDS);
    List<RoamingBrowser> moved = browsers.stream().filter(b -> b.on().equals(bases[0])).toList();
    assertEquals(500, moved.size());
    int publishedBefore = total(published);
    long terminated = System.nanoTime();
    leaving.terminate();
    // Not ready while it drains: the balancer sends no one new.
    await().atMost(WINDOW).ignoreExceptions().until(() -> ready(leaving) == 503);
    await()
        .atMost(WINDOW.plusSeconds(15))
        .until(() -> moved.stream().allMatch(b -> b.on().equals(bases[1]) && b.open()));
    long lastBack = moved.stream().mapToLong(RoamingBrowser::backAtNanos).max().orElseThrow();
    flow.shutdown();
    assertTrue(flow.awaitTermination(10, TimeUnit.SECONDS));
    // A publish that threw would have stopped the flow without a word.
    assertTrue(
        total(published) - publishedBefore >= 100,
        "updates published while it drained: " + (total(published) - publishedBefore));
    assertTrue(leaving.awaitExit(Duration.ofSeconds(30)).isPresent(), "the replica did not stop");

    for (RoamingBrowser browser : moved) {
      assertEquals(List.of((short) 1012), browser.closes(), "one close, with 1012");
    }
    long firstClose =
        moved.stream().mapToLong(RoamingBrowser::restartedAtNanos).min().orElseThrow();
    long lastClose = moved.stream().mapToLong(RoamingBrowser::restartedAtNanos).max().orElseThrow();
    // Spread, not a storm: a slow machine only stretches it.
    assertTrue(
        lastClose - firstClose >= WINDOW.toNanos() / 2,
        "closes spread over " + millis(lastClose - firstClose) + " ms");
    Log.infof(
        "Rolling restart: SIGTERM -> first 1012 %d ms, closes spread over %d ms, SIGTERM -> last"
            + " browser back %d ms (window %d ms); connections turned away (1013) and retried: %d",
        millis(firstClose - terminated),
        millis(lastClose - firstClose),
        millis(lastBack - terminated),
        WINDOW.toMillis(),
        refusals());

    // A last update per user: a tab has it only after every earlier one, so gaps and duplicates
    // are already in what it holds.
    publishOneEach(published);
    awaitEveryTabHasTheLast(byUser, published);
    for (var user : byUser.entrySet()) {
      for (RoamingBrowser browser : user.getValue()) {
        assertEquals(published.get(user.getKey()), browser.offsets(), "tab of " + user.getKey());
      }
    }
    assertEquals(1000, connections(staying));
  }

  private static void publishOneEach(Map<String, List<String>> published) {
    published.forEach(
        (user, offsets) -> offsets.add(Publisher.publish(user, Publisher.order(), "SHIPPED")));
  }

  private static void awaitEveryTabHasTheLast(
      Map<String, List<RoamingBrowser>> byUser, Map<String, List<String>> published) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                byUser.entrySet().stream()
                    .allMatch(
                        user -> {
                          List<String> offsets = published.get(user.getKey());
                          String last = offsets.get(offsets.size() - 1);
                          return user.getValue().stream().allMatch(b -> b.offsets().contains(last));
                        }));
  }

  private int refusals() {
    return browsers.stream().mapToInt(RoamingBrowser::refusals).sum();
  }

  private static int total(Map<String, List<String>> published) {
    return published.values().stream().mapToInt(List::size).sum();
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  private static int ready(ServiceProcess replica) {
    return RestAssured.given()
        .baseUri(replica.managementUri().toString())
        .get("/q/health/ready")
        .statusCode();
  }

  private static int connections(ServiceProcess replica) {
    return (int) Management.metric(replica.managementUri(), "souq_ws_connections");
  }
}
