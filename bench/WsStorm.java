import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reconnect storm against {@code /ws/orders}: keeps {@code connections} WebSockets wanted, spread
 * over {@code addresses} source addresses (127.0.0.2 on), and reopens every one that ends at once,
 * however it ended (a refused upgrade after 100 ms): clients with no backoff, more of them than the
 * server takes. Sessions for {@code users} users are written to Redis first. Prints, each second,
 * what the attempts of that second came to: opened, refused with an HTTP status, closed with a
 * code.
 *
 * <p>Usage: WsStorm host port redisHost redisPort redisDb connections addresses users seconds
 */
public class WsStorm {
  private static final Map<String, AtomicInteger> OUTCOMES = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    int connections = Integer.parseInt(args[5]);
    int addresses = Integer.parseInt(args[6]);
    if (addresses < 1 || addresses > 253) {
      throw new IllegalArgumentException("addresses: 1 to 253 (127.0.0.2 to 127.0.0.254)");
    }
    String[] sessions = writeSessions(args[2], Integer.parseInt(args[3]), args[4], args[7]);
    int seconds = Integer.parseInt(args[8]);

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    WebSocketClient[] clients = new WebSocketClient[addresses];
    for (int i = 0; i < addresses; i++) {
      clients[i] =
          vertx.createWebSocketClient(
              new WebSocketClientOptions()
                  .setLocalAddress("127.0.0." + (i + 2))
                  .setMaxConnections(connections));
    }
    for (int i = 0; i < connections; i++) {
      WebSocketConnectOptions options =
          new WebSocketConnectOptions()
              .setHost(host)
              .setPort(port)
              .setURI("/ws/orders")
              .addHeader("Cookie", "SOUQ_SESSION=" + sessions[i % sessions.length]);
      open(vertx, clients[i % addresses], options);
    }
    for (int s = 1; s <= seconds; s++) {
      Thread.sleep(1000);
      Map<String, Integer> second = new TreeMap<>();
      OUTCOMES.forEach((outcome, count) -> second.put(outcome, count.getAndSet(0)));
      second.values().removeIf(count -> count == 0);
      System.out.println("second " + s + ": " + second);
    }
    System.exit(0);
  }

  /** One wanted connection: opened again as soon as it ends. */
  private static void open(Vertx vertx, WebSocketClient client, WebSocketConnectOptions options) {
    client
        .connect(options)
        .onComplete(
            attempt -> {
              if (attempt.failed()) {
                count(
                    attempt.cause() instanceof io.vertx.core.http.UpgradeRejectedException refused
                        ? "refused " + refused.getStatus()
                        : "failed " + attempt.cause().getClass().getSimpleName());
                vertx.setTimer(100, t -> open(vertx, client, options));
                return;
              }
              count("opened");
              var socket = attempt.result();
              socket.closeHandler(
                  v -> {
                    count("closed " + socket.closeStatusCode());
                    open(vertx, client, options);
                  });
            });
  }

  private static void count(String outcome) {
    OUTCOMES.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
  }

  /** Writes one session per user (users' ids u_storm_N) in one pipelined round trip. */
  private static String[] writeSessions(String host, int port, String db, String usersArg)
      throws Exception {
    String[] sessions = new String[Integer.parseInt(usersArg)];
    StringBuilder commands = new StringBuilder(command("SELECT", db));
    for (int u = 0; u < sessions.length; u++) {
      sessions[u] = (UUID.randomUUID() + "" + UUID.randomUUID()).replace("-", "").substring(0, 43);
      String session =
          "{\"session_id\":\"%s\",\"user_id\":\"u_storm_%d\",\"created_at\":\"%s\",\"cart\":[]}"
              .formatted(sessions[u], u, Instant.now());
      commands.append(command("SET", "session:" + sessions[u], session, "EX", "3600"));
    }
    try (Socket redis = new Socket(host, port)) {
      OutputStream out = redis.getOutputStream();
      out.write(commands.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = redis.getInputStream();
      // Each reply is one line (+OK); an error (-NOAUTH, …) fails the storm rather than run it
      // with sessions nobody wrote.
      boolean lineStart = true;
      for (int replies = 0; replies < sessions.length + 1; ) {
        int b = in.read();
        if (b < 0) {
          throw new IllegalStateException("Redis closed the connection");
        }
        if (lineStart && b == '-') {
          StringBuilder error = new StringBuilder("-");
          for (int c = in.read(); c >= 0 && c != '\r'; c = in.read()) {
            error.append((char) c);
          }
          throw new IllegalStateException("Redis refused a session: " + error);
        }
        lineStart = b == '\n';
        replies += lineStart ? 1 : 0;
      }
    }
    return sessions;
  }

  private static String command(String... parts) {
    StringBuilder resp = new StringBuilder("*" + parts.length + "\r\n");
    for (String part : parts) {
      resp.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
      resp.append(part).append("\r\n");
    }
    return resp.toString();
  }
}
