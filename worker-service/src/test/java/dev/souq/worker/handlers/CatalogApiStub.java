package dev.souq.worker.handlers;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for catalog-service's stock reservations (not for Redis, which tests always use for
 * real): {@code DELETE /api/stock/reservations/{placement}} answers 204, except for placements
 * {@code 00000000-0000-0000-0000-000000000<status>}, which answer that status, and {@code
 * …000000000503} answers 503 the first time and 204 after. It records every call and shows them at
 * {@code GET /stub/calls}.
 */
public class CatalogApiStub implements QuarkusTestResourceLifecycleManager {
  /** The placement whose status the stub answers: {@code STATUS_PREFIX + "404"}. */
  static final String STATUS_PREFIX = "00000000-0000-0000-0000-000000000";

  private Vertx vertx;
  private HttpServer server;
  private final CopyOnWriteArrayList<JsonObject> calls = new CopyOnWriteArrayList<>();
  private final Set<String> refusedOnce = ConcurrentHashMap.newKeySet();

  @Override
  public Map<String, String> start() {
    vertx = Vertx.vertx();
    try {
      server =
          vertx
              .createHttpServer()
              .requestHandler(
                  request -> {
                    String path = request.path();
                    if (path.equals("/stub/calls")) {
                      request.response().end(new JsonArray(calls).encode());
                      return;
                    }
                    calls.add(
                        new JsonObject()
                            .put("method", request.method().name())
                            .put("path", path)
                            .put("authorization", request.getHeader("Authorization")));
                    String placement = path.substring(path.lastIndexOf('/') + 1);
                    request.response().setStatusCode(status(placement)).end();
                  })
              .listen(0, "127.0.0.1")
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return Map.of("quarkus.rest-client.catalog.url", "http://127.0.0.1:" + server.actualPort());
  }

  private int status(String placement) {
    if (!placement.startsWith(STATUS_PREFIX)) {
      return 204;
    }
    int status = Integer.parseInt(placement.substring(STATUS_PREFIX.length()));
    if (status == 503) {
      return refusedOnce.add(placement) ? 503 : 204;
    }
    return status;
  }

  @Override
  public void stop() {
    if (vertx != null) {
      vertx.close();
    }
  }
}
