package dev.souq.notification.live;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A Server-Sent Events response as a {@link Transport}: each frame is written as its shared SSE
 * bytes. Vert.x flushes every write of a response, so a burst costs a flush per event here (the
 * WebSocket path flushes once per burst); SSE is the fallback for browsers whose network refuses
 * WebSockets. A comment keeps proxies from cutting a quiet stream ({@link KeepAlive}).
 */
final class SseTransport extends Transport {
  /** A comment line: ignored by every SSE client, seen by every proxy as traffic. */
  private static final String HEARTBEAT = ":\n\n";

  private final String id = "sse-" + UUID.randomUUID();
  private final HttpServerResponse response;
  private final Context context;
  private final Handler<AsyncResult<Void>> done;

  SseTransport(HttpServerResponse response, Context context, Written written) {
    this.response = response;
    this.context = context;
    this.done = result -> written.written(result.succeeded());
  }

  /**
   * Sends the headers; on the response's event loop.
   *
   * @param routing the request's routing context, whose end handlers hear the response is over
   * @param gone hears the transport's id once the response is over (ended or the connection lost)
   */
  void open(RoutingContext routing, Consumer<String> gone) {
    // First, so that nothing below can leave the connection registered with no one to remove it.
    // Through the routing context: Vert.x Web keeps the response's own end and close handlers.
    routing.addEndHandler(over -> gone.accept(id));
    response
        .setChunked(true)
        .putHeader("Content-Type", OrderUpdatesStream.TYPE)
        .putHeader("Cache-Control", "no-store")
        // nginx (and ingress-nginx) would buffer the stream; this tells it not to, per response.
        .putHeader("X-Accel-Buffering", "no")
        // Sends the headers now: the client knows at once that the stream is open.
        .write(HEARTBEAT);
  }

  @Override
  String id() {
    return id;
  }

  @Override
  void write(Frame frame) {
    if (isClosed()) {
      done.handle(Future.failedFuture("closed"));
      return;
    }
    response.write(Buffer.buffer(frame.event()), done);
  }

  @Override
  void flush() {
    // Each write was flushed (Vert.x's HttpServerResponse has no unflushed write).
  }

  @Override
  void end(Ending why) {
    context.runOnContext(
        v -> {
          if (isClosed()) {
            return;
          }
          if (why == Ending.TOO_SLOW) {
            // Its buffer is full of unread events: an orderly end would wait behind them.
            response.reset();
          } else {
            // The client reconnects: after a restart to another replica, resuming with its
            // Last-Event-ID; after its session ended, it is refused with 401 and makes a new one.
            response.end();
          }
        });
  }

  @Override
  boolean isClosed() {
    return response.closed() || response.ended();
  }

  @Override
  void keepAlive() {
    if (!isClosed() && response.headWritten()) { // open() sends the headers with the first comment
      response.write(HEARTBEAT);
    }
  }
}
