package dev.souq.devstack;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * Where the gateway sends a component's requests, as a Kubernetes Service does: round robin over
 * its replicas that report ready ({@code /q/health/ready}, polled every second), and over all of
 * them while none does. A WebSocket upgrade is a request too, so live connections spread the same
 * way, and a replica that drains (not ready at once) gets no new ones.
 */
public final class Upstreams {
  /** A replica: its public port, and its management port (0: not polled, always ready). */
  public record Replica(int port, int managementPort) {}

  private static final long POLL_MS = 1000;

  private final Map<Component, List<Replica>> replicas;
  private final Map<Component, AtomicInteger> turns = new EnumMap<>(Component.class);
  private final Set<Replica> notReady = ConcurrentHashMap.newKeySet();

  public Upstreams(Map<Component, List<Replica>> replicas) {
    this.replicas = new EnumMap<>(replicas);
    for (Component component : Component.values()) {
      if (replicas.getOrDefault(component, List.of()).isEmpty()) {
        throw new IllegalArgumentException("no replica of " + component.module());
      }
      turns.put(component, new AtomicInteger());
    }
  }

  /** One replica per component, at {@code port}, never polled. */
  public static Upstreams single(ToIntFunction<Component> port) {
    Map<Component, List<Replica>> replicas = new EnumMap<>(Component.class);
    for (Component component : Component.values()) {
      replicas.put(component, List.of(new Replica(port.applyAsInt(component), 0)));
    }
    return new Upstreams(replicas);
  }

  /** The port of the replica whose turn it is among the ready ones. */
  int pick(Component component) {
    List<Replica> all = replicas.get(component);
    int first = Math.floorMod(turns.get(component).getAndIncrement(), all.size());
    for (int i = 0; i < all.size(); i++) {
      Replica replica = all.get((first + i) % all.size());
      if (!notReady.contains(replica)) {
        return replica.port();
      }
    }
    return all.get(first).port();
  }

  /** Polls every replica's readiness on {@code host} until {@code vertx} closes. */
  void watch(Vertx vertx, String host) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(500));
    vertx.setPeriodic(
        0,
        POLL_MS,
        timer ->
            replicas.values().stream()
                .flatMap(List::stream)
                .filter(replica -> replica.managementPort() > 0)
                .forEach(replica -> poll(client, host, replica)));
  }

  /** Asks {@code replica} whether it is ready, and notes the answer. */
  void poll(HttpClient client, String host, Replica replica) {
    Future<HttpClientRequest> request;
    try {
      request =
          client.request(
              new RequestOptions()
                  .setMethod(HttpMethod.GET)
                  .setHost(host)
                  .setPort(replica.managementPort())
                  .setURI("/q/health/ready")
                  // A replica that hangs is as good as gone; the next poll must not wait on it.
                  .setTimeout(POLL_MS - 100));
    } catch (IllegalStateException closed) {
      // Vert.x closing (./run stopping) closes this client before it cancels the timer that polls.
      return;
    }
    request
        .compose(HttpClientRequest::send)
        .compose(response -> response.body().map(body -> response))
        .map(HttpClientResponse::statusCode)
        .onComplete(
            status -> {
              if (status.succeeded() && status.result() == 200) {
                notReady.remove(replica);
              } else {
                notReady.add(replica);
              }
            });
  }
}
