package dev.souq.devstack;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway in front of replicas, as {@code ./run --replicas N} runs it: real HTTP servers stand
 * in for two catalog replicas, each with a management port whose readiness the test sets.
 */
class GatewayTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * On Ctrl-C, ./run closes the gateway's Vert.x, which closes the polling client before it cancels
   * the polling timer: a poll in between must end quietly, not as an unhandled exception.
   */
  @Test
  void aPollAfterItsClientClosedThrowsNothing() throws Exception {
    HttpClient client = vertx.createHttpClient();
    get(client.close());
    Upstreams.Replica replica = replica("only", new AtomicInteger(200));
    Map<Component, List<Upstreams.Replica>> upstreams = new EnumMap<>(Component.class);
    for (Component component : Component.values()) {
      upstreams.put(component, List.of(replica));
    }
    assertDoesNotThrow(() -> new Upstreams(upstreams).poll(client, "127.0.0.1", replica));
  }

  @Test
  void requestsGoRoundTheReadyReplicasAndSkipOneThatTurnsNotReady() throws Exception {
    AtomicInteger firstReady = new AtomicInteger(200);
    Upstreams.Replica first = replica("first", firstReady);
    Upstreams.Replica second = replica("second", new AtomicInteger(200));
    Map<Component, List<Upstreams.Replica>> upstreams = new EnumMap<>(Component.class);
    for (Component component : Component.values()) {
      upstreams.put(component, List.of(first, second));
    }
    int port = get(new Gateway(vertx, "127.0.0.1", new Upstreams(upstreams)).listen(0));

    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      answers.add(product(port));
    }
    assertEquals(2, answers.stream().filter("first"::equals).count(), answers.toString());
    assertEquals(2, answers.stream().filter("second"::equals).count(), answers.toString());

    // Draining, as notification-service does on SIGTERM: its readiness goes 503 first.
    firstReady.set(503);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> product(port).equals("second") && product(port).equals("second"));
    firstReady.set(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> product(port).equals("first") || product(port).equals("first"));
  }

  @Test
  void replicasComeFromTheCommandLine() {
    assertEquals(1, Launcher.replicas(List.of()));
    assertEquals(3, Launcher.replicas(List.of("--replicas", "3")));
    assertEquals(2, Launcher.replicas(List.of("--replicas=2")));
    IllegalArgumentException zero =
        assertThrows(
            IllegalArgumentException.class, () -> Launcher.replicas(List.of("--replicas=0")));
    assertEquals("--replicas takes a number from 1 to 9, not '0'", zero.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Launcher.replicas(List.of("--replicas")));
    assertEquals(new Upstreams.Replica(8281, 9281), ServiceFleet.replica(Component.CATALOG, 2));
  }

  /** A replica that answers every request with {@code name}, ready while {@code ready} is 200. */
  private Upstreams.Replica replica(String name, AtomicInteger ready) throws Exception {
    HttpServer api =
        vertx.createHttpServer().requestHandler(request -> request.response().end(name));
    HttpServer management =
        vertx
            .createHttpServer()
            .requestHandler(request -> request.response().setStatusCode(ready.get()).end());
    return new Upstreams.Replica(
        get(api.listen(0).map(HttpServer::actualPort)),
        get(management.listen(0).map(HttpServer::actualPort)));
  }

  private String product(int port) throws Exception {
    return get(
        vertx
            .createHttpClient()
            .request(HttpMethod.GET, port, "127.0.0.1", "/api/products/1")
            .compose(request -> request.send())
            .compose(response -> response.body())
            .map(Object::toString));
  }

  private static <T> T get(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
