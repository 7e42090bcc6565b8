import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.WebSocketInternal;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bare WebSocket server: the ceiling for delivery on this box, measured by the same
 * bench/WsLoad.java runs as notification-service (bench/notification.sh). A plain Vert.x server
 * (the Vert.x Quarkus ships, as many event loops as Quarkus uses: 2 × cores) that accepts WsLoad's
 * handshake on /ws/orders, looks the SOUQ_SESSION cookie's user up in Redis once (as the service
 * does, so connections become routable the same way), subscribes to order_updates, and for every
 * message builds ONE WebSocket text frame and writes that same buffer to each of the user's
 * connections, on the connection's own event loop, flushing each connection once per burst. It does
 * none of the service's work (no offsets, no replay, no send-queue limit, no JSON check): the frame
 * is the published message as it arrived. GET /q/metrics answers souq_ws_connections, which WsLoad
 * polls until every connection is registered.
 *
 * <p>Usage: java -cp <notification-service runtime classpath> BareWs.java PORT REDIS_URL
 */
public class BareWs {
  static final Map<String, List<ChannelHandlerContext>> BY_USER = new ConcurrentHashMap<>();
  static final Map<EventLoop, Batch> BATCHES = new ConcurrentHashMap<>();
  static final AtomicInteger CONNECTIONS = new AtomicInteger();

  public static void main(String[] args) {
    // The service's jars bring JBoss LogManager, whose root level is ALL unless Quarkus sets it:
    // Netty would then format a trace message for every WebSocket frame, on this box's shared CPU.
    org.jboss.logmanager.LogContext.getLogContext()
        .getLogger("")
        .setLevel(java.util.logging.Level.INFO);
    int port = Integer.parseInt(args[0]);
    String redisUrl = args[1];
    int loops = 2 * Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
    // Every connection's session is looked up at once when WsLoad connects: a deep waiting queue.
    Redis redis =
        Redis.createClient(
            vertx,
            new RedisOptions()
                .setConnectionString(redisUrl)
                .setMaxPoolSize(16)
                .setMaxPoolWaiting(32768));
    vertx
        .deployVerticle(() -> new Server(port, redis), new DeploymentOptions().setInstances(loops))
        .compose(ok -> Redis.createClient(vertx, redisUrl).connect())
        .onSuccess(BareWs::subscribe)
        .onSuccess(
            ok ->
                System.out.println(
                    "bare WebSocket server on " + port + ", " + loops + " event loops"))
        .onFailure(
            failure -> {
              failure.printStackTrace();
              System.exit(1);
            });
  }

  static void subscribe(RedisConnection subscription) {
    subscription.handler(BareWs::received);
    subscription.send(Request.cmd(Command.SUBSCRIBE).arg("order_updates"));
  }

  /** One published message: one frame, written (not flushed) to each of its user's connections. */
  static void received(Response message) {
    if (message.size() < 3 || !"message".equals(message.get(0).toString())) {
      return;
    }
    byte[] payload = message.get(2).toBytes();
    String user = userId(new String(payload, StandardCharsets.UTF_8));
    List<ChannelHandlerContext> targets = user == null ? null : BY_USER.get(user);
    if (targets == null) {
      return;
    }
    ByteBuf frame = textFrame(payload);
    for (ChannelHandlerContext target : targets) {
      BATCHES
          .computeIfAbsent(target.channel().eventLoop(), Batch::new)
          .add(target, frame.retainedDuplicate());
    }
    frame.release();
  }

  static String userId(String json) {
    int at = json.indexOf("\"user_id\":\"");
    if (at < 0) return null;
    int from = at + 11;
    int to = json.indexOf('"', from);
    return to < 0 ? null : json.substring(from, to);
  }

  /** An unmasked, final text frame (RFC 6455 5.2) around {@code payload}, in a direct buffer. */
  static ByteBuf textFrame(byte[] payload) {
    int n = payload.length;
    ByteBuf frame = Unpooled.directBuffer(n + 10);
    frame.writeByte(0x81);
    if (n < 126) {
      frame.writeByte(n);
    } else if (n < 65536) {
      frame.writeByte(126).writeShort(n);
    } else {
      frame.writeByte(127).writeLong(n);
    }
    return frame.writeBytes(payload);
  }

  record Write(ChannelHandlerContext target, ByteBuf frame) {}

  /** Writes queued for one event loop, drained by one task per burst, one flush per connection. */
  static final class Batch {
    final EventLoop loop;
    final Queue<Write> writes = new ConcurrentLinkedQueue<>();
    final AtomicBoolean scheduled = new AtomicBoolean();
    final Set<ChannelHandlerContext> touched = new HashSet<>();

    Batch(EventLoop loop) {
      this.loop = loop;
    }

    void add(ChannelHandlerContext target, ByteBuf frame) {
      writes.add(new Write(target, frame));
      if (scheduled.compareAndSet(false, true)) {
        loop.execute(this::drain);
      }
    }

    void drain() {
      scheduled.set(false);
      for (Write write = writes.poll(); write != null; write = writes.poll()) {
        write.target.write(write.frame, write.target.voidPromise());
        touched.add(write.target);
      }
      for (ChannelHandlerContext ctx : touched) {
        ctx.flush();
      }
      touched.clear();
    }
  }

  static final class Server extends AbstractVerticle {
    final int port;
    final Redis redis;

    Server(int port, Redis redis) {
      this.port = port;
      this.redis = redis;
    }

    @Override
    public void start(io.vertx.core.Promise<Void> started) {
      vertx
          .createHttpServer(
              new HttpServerOptions().setPort(port).setHost("0.0.0.0").setAcceptBacklog(8192))
          .webSocketHandler(this::accept)
          .requestHandler(
              request ->
                  request
                      .response()
                      .putHeader("content-type", "text/plain")
                      .end("souq_ws_connections " + CONNECTIONS.get() + "\n"))
          .listen()
          .onComplete(result -> started.handle(result.mapEmpty()));
    }

    void accept(ServerWebSocket socket) {
      String cookie = socket.headers().get("Cookie");
      int at = cookie == null ? -1 : cookie.indexOf("SOUQ_SESSION=");
      if (!"/ws/orders".equals(socket.path()) || at < 0) {
        socket.close((short) 1008);
        return;
      }
      String session = cookie.substring(at + 13).split(";")[0].trim();
      socket.pause();
      redis
          .send(Request.cmd(Command.GET).arg("session:" + session))
          .onComplete(
              result -> {
                String user =
                    result.succeeded() && result.result() != null
                        ? userId(result.result().toString())
                        : null;
                if (user == null) {
                  socket.close((short) 1008);
                  return;
                }
                ChannelHandlerContext ctx = ((WebSocketInternal) socket).channelHandlerContext();
                BY_USER.computeIfAbsent(user, u -> new CopyOnWriteArrayList<>()).add(ctx);
                CONNECTIONS.incrementAndGet();
                socket.closeHandler(
                    closed -> {
                      BY_USER.computeIfPresent(
                          user,
                          (u, list) -> {
                            list.remove(ctx);
                            return list.isEmpty() ? null : list;
                          });
                      CONNECTIONS.decrementAndGet();
                    });
                socket.resume();
              });
    }
  }
}
