package dev.souq.devstack;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.HttpProxy;

/**
 * The local stand-in for the Kubernetes Ingress: one origin on :8080 that routes by {@link Routes}
 * to the ready replicas of each service ({@link Upstreams}) and passes WebSocket upgrades through,
 * so the page, REST and WebSocket share one origin.
 */
public final class Gateway {
  private final Vertx vertx;
  private final String upstreamHost;
  private final Upstreams upstreams;
  private HttpServer server;
  private volatile boolean refuseWebSockets;

  /**
   * @param upstreams where each component's replicas listen on {@code upstreamHost}
   */
  public Gateway(Vertx vertx, String upstreamHost, Upstreams upstreams) {
    this.vertx = vertx;
    this.upstreamHost = upstreamHost;
    this.upstreams = upstreams;
  }

  /**
   * Whether to refuse WebSocket upgrades with 403, as some corporate proxies do: the page then goes
   * live over Server-Sent Events. May change while the gateway runs.
   */
  public Gateway refuseWebSockets(boolean refuse) {
    this.refuseWebSockets = refuse;
    return this;
  }

  /** Starts listening; the future fails if the port is taken. */
  public Future<Integer> listen(int port) {
    HttpProxy proxy =
        HttpProxy.reverseProxy(
            vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(64).setKeepAlive(true)));
    proxy.originSelector(
        request -> {
          Component target = Routes.route(request.path());
          return Future.succeededFuture(
              SocketAddress.inetSocketAddress(upstreams.pick(target), upstreamHost));
        });
    upstreams.watch(vertx, upstreamHost);
    return vertx
        .createHttpServer()
        .requestHandler(
            request -> {
              if (refuseWebSockets && "websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
                request.response().setStatusCode(403).end("WebSocket upgrades are refused here");
                return;
              }
              forwarded(request);
              proxy.handle(request);
            })
        .listen(port)
        .map(
            s -> {
              server = s;
              return s.actualPort();
            });
  }

  /** Stops listening. */
  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /**
   * The gateway is the edge: it states the client's address in X-Forwarded-For (replacing whatever
   * the client sent), which the services trust only from a configured proxy, and the Host the
   * browser used in X-Forwarded-Host, which the WebSocket Origin check compares. Set on the
   * incoming request itself: the proxy copies its headers for WebSocket upgrades too, which its
   * interceptors never see.
   */
  private static void forwarded(HttpServerRequest request) {
    SocketAddress client = request.remoteAddress();
    request.headers().set("X-Forwarded-For", client == null ? "unknown" : client.hostAddress());
    request.headers().set("X-Forwarded-Proto", request.scheme());
    if (request.authority() != null) {
      request.headers().set("X-Forwarded-Host", request.authority().toString());
    }
  }
}
