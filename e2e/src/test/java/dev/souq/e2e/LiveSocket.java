package dev.souq.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A live connection to {@code /ws/orders} as a script would hold one: its texts and its close. */
final class LiveSocket implements AutoCloseable {
  private final Vertx vertx = Vertx.vertx();
  private final List<String> texts = new CopyOnWriteArrayList<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private final WebSocket socket;

  /** Opens one through the shop's gateway with {@code session}'s cookie. */
  LiveSocket(String shopUrl, String session) throws Exception {
    URI shop = URI.create(shopUrl);
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(shop.getHost())
            .setPort(shop.getPort())
            .setURI("/ws/orders")
            .addHeader("Cookie", "SOUQ_SESSION=" + session);
    socket =
        vertx
            .createWebSocketClient()
            .connect(options)
            .map(
                opened -> {
                  opened.textMessageHandler(texts::add);
                  opened.closeHandler(
                      v -> closed.complete(opened.closeStatusCode() + " " + opened.closeReason()));
                  return opened;
                })
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  void send(String text) {
    socket.writeTextMessage(text);
  }

  List<String> texts() {
    return List.copyOf(texts);
  }

  /** {@code "<code> <reason>"} once the server closed it, else null. */
  String closedWith() {
    return closed.getNow(null);
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
