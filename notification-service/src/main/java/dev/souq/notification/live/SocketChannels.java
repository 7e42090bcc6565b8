package dev.souq.notification.live;

import io.netty.channel.ChannelHandlerContext;
import io.quarkus.logging.Log;
import io.quarkus.websockets.next.WebSocketConnection;
import io.quarkus.websockets.next.runtime.WebSocketConnectionBase;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.impl.WebSocketInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;

/**
 * Finds the Netty channel under a websockets-next connection, for {@link WebSocketTransport}'s
 * direct writes and {@link HeldSockets}' count, and under the HTTP request that upgrades to it:
 * websockets-next keeps the Vert.x {@code ServerWebSocket} behind a package-private {@code
 * webSocket()}, read here through a method handle made once, and Vert.x Web may wrap that socket.
 */
final class SocketChannels {
  private static final MethodHandle WEB_SOCKET = webSocketAccessor();

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

  private SocketChannels() {}

  /** The Netty channel under the connection; null (and a warning, once) if it cannot be reached. */
  static ChannelHandlerContext of(WebSocketConnection connection) {
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

  /** The Netty channel under an HTTP request's connection; null if it cannot be reached. */
  static ChannelHandlerContext of(HttpServerRequest request) {
    return request.connection() instanceof ConnectionBase connection
        ? connection.channelHandlerContext()
        : null;
  }

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
}
