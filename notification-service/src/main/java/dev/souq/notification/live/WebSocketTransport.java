package dev.souq.notification.live;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.quarkus.websockets.next.runtime.WebSocketConnectionBase;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.impl.WebSocketInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.time.Duration;

/**
 * A WebSocket's {@link Transport}: frames are written on its event loop, without a flush; {@link
 * #flush} ends a burst. websockets-next has no API for a pre-encoded frame or for deferring a
 * flush: its {@code sendText} encodes the String into a new frame for every connection and flushes
 * every message (one syscall each), behind a Uni. So the sink reaches the Vert.x {@code
 * ServerWebSocket} under the connection (websockets-next keeps it behind a package-private {@code
 * webSocket()}, read once here through a method handle) and writes the shared frame bytes to its
 * Netty channel: below Vert.x's WebSocket encoder, which passes bytes through, and in order with
 * every other write, since all of them happen on the connection's event loop. If a future
 * websockets-next hides that socket differently, connections fall back to {@code sendText} (slower,
 * same protocol) and a warning says so; a test asserts the direct path is the one in use.
 */
abstract class WebSocketTransport extends Transport {
  /** Close code for a client too slow to take its messages (4000–4999: application codes). */
  static final CloseReason TOO_SLOW = new CloseReason(4008, "too slow: send queue full");

  static final CloseReason ENDED = new CloseReason(1008, "session ended");

  /** RFC 6455's Service Restart: the page reconnects at once and resumes from its offset. */
  static final CloseReason RESTART = new CloseReason(1012, "service restart");

  private static final MethodHandle WEB_SOCKET = webSocketAccessor();

  /** How long a client has to answer the close frame: Vert.x's own default closing timeout. */
  static final Duration CLOSE_ANSWER_WAIT = Duration.ofSeconds(10);

  final WebSocketConnection connection;
  final Written written;

  /**
   * Set by {@link #end} before the close frame is sent: RFC 6455 allows no data frame after it, and
   * the connection stays routed until the client answers the close (or {@link #letGoAfter}). The
   * close frame is written on the socket's loop after this is set, so a write the loop runs after
   * the close frame sees it.
   */
  private volatile boolean ended;

  private WebSocketTransport(WebSocketConnection connection, Written written) {
    this.connection = connection;
    this.written = written;
  }

  /** Whether frames go straight to the channel (false: through websockets-next's sendText). */
  abstract boolean direct();

  static WebSocketTransport of(WebSocketConnection connection, Written written) {
    ChannelHandlerContext channel = channel(connection);
    return channel != null
        ? new Direct(connection, channel, written)
        : new Fallback(connection, written);
  }

  @Override
  String id() {
    return connection.id();
  }

  @Override
  final void write(Frame frame) {
    if (ended) {
      written.written(false);
      return;
    }
    send(frame);
  }

  /** Writes a frame of a connection not ended, unflushed. */
  abstract void send(Frame frame);

  @Override
  void end(Ending why) {
    CloseReason reason =
        switch (why) {
          case TOO_SLOW -> TOO_SLOW;
          case SESSION_ENDED -> ENDED;
          case RESTART -> RESTART;
        };
    close(reason).subscribe().with(ok -> {});
  }

  /**
   * Sends the close frame with {@code reason}: no data frame follows it, and the TCP connection is
   * reset {@link #CLOSE_ANSWER_WAIT} later unless the client has answered by then. The Uni ends
   * when the close frame is written, or the connection is gone.
   */
  Uni<Void> close(CloseReason reason) {
    ended = true;
    if (connection.isClosed()) {
      return Uni.createFrom().voidItem(); // the client left first (a drain meets many of those)
    }
    // Fails only when the connection went away first (letGoAfter's drop included): no error.
    Uni<Void> closing = connection.close(reason).onFailure().recoverWithNull();
    letGoAfter(CLOSE_ANSWER_WAIT);
    return closing;
  }

  /**
   * Resets the TCP connection {@code wait} from now if the client has not ended it by then. A peer
   * that stopped reading never gets the close frame (it waits behind the data it does not read), so
   * no answer comes and the closing handshake does not end: the socket and its unsent frames stayed
   * ESTABLISHED (still 40 s later in a test), outside every connection cap, which it had left.
   */
  abstract void letGoAfter(Duration wait);

  @Override
  boolean isClosed() {
    return connection.isClosed();
  }

  private static ChannelHandlerContext channel(WebSocketConnection connection) {
    if (WEB_SOCKET == null || !(connection instanceof WebSocketConnectionBase base)) {
      return null;
    }
    try {
      Object socket = WEB_SOCKET.invoke(base);
      // Vert.x Web hands websockets-next its ServerWebSocketWrapper (host, scheme, remote address
      // as the proxy headers say) around the socket itself: unwrap down to the Vert.x socket.
      for (int depth = 0; depth < 3 && !(socket instanceof WebSocketInternal); depth++) {
        MethodHandle delegate = socket == null ? null : DELEGATE.get(socket.getClass());
        socket = delegate == null ? null : delegate.invoke(socket);
      }
      if (socket instanceof WebSocketInternal internal
          && internal.connection() instanceof ConnectionBase vertxConnection) {
        return vertxConnection.channelHandlerContext();
      }
    } catch (Throwable e) {
      Log.debugf("No direct channel for %s: %s", connection.id(), e.toString());
    }
    if (!warned) {
      warned = true;
      Log.warnf("WebSocket frames go through sendText, one flush each: no channel under %s", base);
    }
    return null;
  }

  /** The {@code delegate} field of a wrapping WebSocket class, read as Object; null if none. */
  private static final ClassValue<MethodHandle> DELEGATE =
      new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
          try {
            Field field = type.getDeclaredField("delegate");
            if (!WebSocketBase.class.isAssignableFrom(field.getType())) {
              return null;
            }
            field.setAccessible(true);
            return MethodHandles.lookup()
                .unreflectGetter(field)
                .asType(MethodType.methodType(Object.class, Object.class));
          } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
          }
        }
      };

  private static volatile boolean warned;

  private static MethodHandle webSocketAccessor() {
    try {
      var method = WebSocketConnectionBase.class.getDeclaredMethod("webSocket");
      method.setAccessible(true);
      return MethodHandles.lookup()
          .unreflect(method)
          .asType(MethodType.methodType(Object.class, WebSocketConnectionBase.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      Log.warnf("WebSocket frames go through sendText, one flush each: %s", e.toString());
      return null;
    }
  }

  /** Straight to the Netty channel: the shared bytes, one flush per burst. */
  private static final class Direct extends WebSocketTransport {
    private final ChannelHandlerContext channel;
    private final ChannelFutureListener done;

    Direct(WebSocketConnection connection, ChannelHandlerContext channel, Written written) {
      super(connection, written);
      this.channel = channel;
      this.done = future -> written.written(future.isSuccess());
    }

    @Override
    void send(Frame frame) {
      channel.write(frame.wire(), channel.newPromise().addListener(done));
    }

    @Override
    void flush() {
      channel.flush();
    }

    @Override
    void letGoAfter(Duration wait) {
      var drop = channel.executor().schedule(this::reset, wait.toMillis(), MILLISECONDS);
      // A client that answers in time must not keep its pipeline alive until then.
      channel.channel().closeFuture().addListener(closed -> drop.cancel(false));
    }

    /**
     * Closes with a reset, not a FIN: behind unsent frames a FIN would wait too, and the kernel
     * would keep the socket (FIN_WAIT1) and those frames for minutes against a peer reading none.
     */
    private void reset() {
      channel.channel().config().setOption(ChannelOption.SO_LINGER, 0);
      channel.close();
    }

    @Override
    boolean direct() {
      return true;
    }
  }

  /** Through websockets-next: a frame and a flush per message. */
  private static final class Fallback extends WebSocketTransport {
    Fallback(WebSocketConnection connection, Written written) {
      super(connection, written);
    }

    @Override
    void send(Frame frame) {
      connection
          .sendText(frame.text())
          .subscribe()
          .with(sent -> written.written(true), failure -> written.written(false));
    }

    @Override
    void flush() {}

    /** websockets-next has no way to drop the TCP connection: its closing handshake decides. */
    @Override
    void letGoAfter(Duration wait) {}

    @Override
    boolean direct() {
      return false;
    }
  }
}
