import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * WebSocket load for notification-service: USERS users with TABS connections each, all
 * authenticated by sessions it writes to Redis, spread over 127.0.0.1–127.0.0.4 as source
 * addresses. Then, per MODE: saturate SECONDS publishes order updates (the shared XADD+PUBLISH
 * script) in rounds of BATCH events and waits for every delivery of a round before the next, so the
 * server is never overrun; prints deliveries/s. latency RATE SECONDS publishes RATE events/s on a
 * fixed schedule; prints PUBLISH→receipt p50/p99/max over every delivery. idle SECONDS holds the
 * connections open and idle (the script measures server heap). Several modes may follow each other
 * over the same connections (e.g. {@code saturate 10 2000 latency 1000 10}), which saves a set-up
 * of 10,000 connections per mode. Prints its own CPU use, so a reader can tell whether the client
 * or the server saturated. Usage: java WsLoad.java HOST PORT REDIS_HOST REDIS_PORT REDIS_DB USERS
 * TABS MODE ARGS... [MODE ARGS...]. With {@code -Dtransport=sse} the connections are {@code
 * /sse/orders} streams instead (the page's fallback), each event counted as one delivery.
 */
public class WsLoad {
  static String host;
  static int port;
  static String redisHost;
  static int redisPort;
  static String redisDb;

  /** Connections opened again after the server turned them away with 1013 (try again). */
  static final AtomicInteger reopened = new AtomicInteger();

  /** Connections the server closed, by close code and reason (a set-up refused shows here). */
  static final java.util.concurrent.ConcurrentHashMap<String, AtomicInteger> closes =
      new java.util.concurrent.ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    // The service's jars bring JBoss LogManager, whose root level is ALL unless Quarkus sets it:
    // Netty would then format a trace message for every WebSocket frame, on this box's shared CPU.
    org.jboss.logmanager.LogContext.getLogContext()
        .getLogger("")
        .setLevel(java.util.logging.Level.INFO);
    host = args[0];
    port = Integer.parseInt(args[1]);
    redisHost = args[2];
    redisPort = Integer.parseInt(args[3]);
    redisDb = args[4];
    int users = Integer.parseInt(args[5]);
    int tabs = Integer.parseInt(args[6]);

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    String[] userIds = new String[users];
    String[] sessions = new String[users];
    try (Redis redis = new Redis()) {
      for (int u = 0; u < users; u++) {
        userIds[u] = "u_bench_" + UUID.randomUUID();
        sessions[u] =
            (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "").substring(0, 43);
        redis.send(
            "SET",
            "session:" + sessions[u],
            "{\"session_id\":\""
                + sessions[u]
                + "\",\"user_id\":\""
                + userIds[u]
                + "\",\"created_at\":\""
                + java.time.Instant.now()
                + "\",\"cart\":[]}",
            "EX",
            "7200");
      }
      redis.drain(users);
    }

    AtomicLong delivered = new AtomicLong();
    AtomicLongArray latencyBuckets = new AtomicLongArray(100_000); // 10 µs buckets up to 1 s
    AtomicLong maxLatency = new AtomicLong();
    WebSocketClient[] clients = new WebSocketClient[4];
    for (int i = 0; i < clients.length; i++) {
      clients[i] =
          vertx.createWebSocketClient(
              new WebSocketClientOptions()
                  .setLocalAddress("127.0.0." + (i + 1))
                  .setMaxFrameSize(65536)
                  .setMaxConnections(20000));
    }
    java.util.function.Consumer<String> onMessage =
        text -> {
          delivered.incrementAndGet();
          int at = text.indexOf("\"sent_ns\":");
          if (at >= 0) {
            long sent = Long.parseLong(text.substring(at + 10, text.indexOf(',', at + 10)).trim());
            long micros = (System.nanoTime() - sent) / 1000;
            latencyBuckets.incrementAndGet(
                (int) Math.min(latencyBuckets.length() - 1, micros / 10));
            maxLatency.accumulateAndGet(micros, Math::max);
          }
        };
    boolean sse = "sse".equals(System.getProperty("transport"));
    io.vertx.core.http.HttpClient[] streams = new io.vertx.core.http.HttpClient[clients.length];
    for (int i = 0; sse && i < streams.length; i++) {
      streams[i] =
          vertx.createHttpClient(
              new io.vertx.core.http.HttpClientOptions()
                  .setLocalAddress("127.0.0." + (i + 1))
                  .setKeepAlive(false),
              new io.vertx.core.http.PoolOptions().setHttp1MaxSize(20000));
    }
    int total = users * tabs;
    CountDownLatch open = new CountDownLatch(total);
    AtomicInteger failed = new AtomicInteger();
    long t0 = System.nanoTime();
    for (int c = 0; c < total; c++) {
      int user = c % users;
      if (sse) {
        stream(streams[c % streams.length], sessions[user], onMessage, failed, open);
      } else {
        connect(clients[c % clients.length], sessions[user], onMessage, failed, open);
      }
      if (c % 500 == 499) {
        Thread.sleep(50); // let the server's accept queue drain: this is set-up, not measurement
      }
    }
    open.await(120, TimeUnit.SECONDS);
    // The server registers a connection after its session lookup: wait until all are routable.
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    // /q/metrics: on notification-service's management port (-Dmetrics.port), on the bare server's
    // own.
    int metricsPort = Integer.getInteger("metrics.port", port);
    java.net.http.HttpRequest metrics =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://" + host + ":" + metricsPort + "/q/metrics"))
            .build();
    for (int i = 0; i < 600 && registered(http, metrics) < total - failed.get(); i++) {
      Thread.sleep(100);
    }
    System.out.printf(
        "connections: %d open, %d failed, %d registered, in %.1f s%s%n",
        total - failed.get(),
        failed.get(),
        registered(http, metrics),
        (System.nanoTime() - t0) / 1e9,
        closes.isEmpty() ? "" : "; closed by the server: " + closes + ", reopened " + reopened);
    int expectedPerEvent = tabs;
    for (int arg = 7; arg < args.length; ) {
      String mode = args[arg];
      int arity = mode.equals("idle") ? 1 : 2; // resumes SECONDS OTHERS
      String[] rest = Arrays.copyOfRange(args, arg + 1, arg + 1 + arity);
      arg += 1 + arity;
      delivered.set(0);
      maxLatency.set(0);
      for (int i = 0; i < latencyBuckets.length(); i++) latencyBuckets.set(i, 0);
      long cpuStart = cpu();
      long serverStart = serverCpu();
      long start = System.nanoTime();
      try (Redis redis = new Redis()) {
        String script =
            new String(
                Files.readAllBytes(
                    Path.of("shared/src/main/resources/lua/order-update-publish.lua")),
                StandardCharsets.UTF_8);
        String sha = redis.scriptLoad(script);
        switch (mode) {
          case "saturate" -> {
            int seconds = Integer.parseInt(rest[0]);
            int batch = Integer.parseInt(rest[1]);
            long events = 0;
            long deadline = start + seconds * 1_000_000_000L;
            while (System.nanoTime() < deadline) {
              for (int i = 0; i < batch; i++) {
                publish(redis, sha, userIds[(int) (events++ % users)], 0);
              }
              redis.drain(batch);
              long want = events * expectedPerEvent;
              long waitUntil = System.nanoTime() + 10_000_000_000L;
              while (delivered.get() < want && System.nanoTime() < waitUntil) {
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
              }
            }
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                "saturate: %d events × %d connections = %d deliveries expected, %d received in %.2f s: %,.0f deliveries/s%n",
                events,
                expectedPerEvent,
                events * expectedPerEvent,
                delivered.get(),
                secs,
                delivered.get() / secs);
          }
          case "latency" -> {
            int rate = Integer.parseInt(rest[0]);
            int seconds = Integer.parseInt(rest[1]);
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            for (long e = 0; e < (long) rate * seconds; e++) {
              long wait = next - System.nanoTime();
              if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
              }
              publish(redis, sha, userIds[(int) (e % users)], System.nanoTime());
              redis.out.flush(); // on the wire now: batching here would add up to 16 ms of latency
              next += interval;
              if (e % 16 == 15) {
                redis.drain(16);
              }
            }
            redis.drain((int) (((long) rate * seconds) % 16));
            long want = (long) rate * seconds * expectedPerEvent;
            long waitUntil = System.nanoTime() + 10_000_000_000L;
            while (delivered.get() < want && System.nanoTime() < waitUntil) {
              Thread.sleep(10);
            }
            System.out.printf(
                "latency at %d events/s × %d connections: %d/%d delivered; p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                rate,
                expectedPerEvent,
                delivered.get(),
                want,
                percentile(latencyBuckets, 0.50),
                percentile(latencyBuckets, 0.99),
                maxLatency.get() / 1000.0);
          }
          case "resumes" ->
              resumes(
                  vertx,
                  clients,
                  redis,
                  sha,
                  userIds,
                  sessions,
                  metrics,
                  http,
                  Integer.parseInt(rest[0]),
                  Integer.parseInt(rest[1]));
          case "idle" -> {
            System.out.println("idle: holding connections");
            Thread.sleep(Integer.parseInt(rest[0]) * 1000L);
          }
          default -> throw new IllegalArgumentException(mode);
        }
      }
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "load client CPU: %.2f cores, server CPU: %.2f cores, over %.1f s%n",
          (cpu() - cpuStart) / 1e9 / secs, (serverCpu() - serverStart) / 1e9 / secs, secs);
    }
    vertx.close();
    System.exit(0);
  }

  /**
   * Replay flood: OTHERS updates of users not connected here fill the stream, 5 of each connected
   * user among them; then for SECONDS a probe times Redis GETs alone (baseline), and for SECONDS
   * more while every user reconnects with ?since=<the stream's first entry> in a loop, each
   * connection closed as soon as it is told resumed or reload. Prints resumes/s, stream entries the
   * replays read (souq_ws_replay_entries_total), Redis' CPU and the probe's p99 in both windows.
   */
  static void resumes(
      Vertx vertx,
      WebSocketClient[] clients,
      Redis redis,
      String sha,
      String[] userIds,
      String[] sessions,
      java.net.http.HttpRequest metrics,
      java.net.http.HttpClient http,
      int seconds,
      int others)
      throws Exception {
    // A stream of this run only, short of its cap (10,000), so a resume from its first entry is a
    // replay, not a reload, in any version of the service.
    redis.send("DEL", dev.souq.shared.messages.OrderUpdate.STREAM);
    redis.drain(1);
    for (int i = 0; i < others; i++) {
      publish(redis, sha, "u_other_" + (i % 1000), 0);
      if (i % 1000 == 999) redis.drain(1000);
      if (i % (others / 5) == 0) {
        for (String user : userIds) publish(redis, sha, user, 0);
        redis.drain(userIds.length);
      }
    }
    redis.drain(others % 1000);
    String since = firstOffset(redis);
    System.out.printf(
        "resumes: stream filled with %d updates of others, 5 of each of %d users among them%n",
        others, userIds.length);
    double[] baseline = probe(seconds, () -> {});
    AtomicLong resumed = new AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean running =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    double entriesBefore = metric(http, metrics, "souq_ws_replay_entries_total");
    double[] flood =
        probe(
            seconds,
            () -> {
              for (int u = 0; u < sessions.length; u++)
                resumeLoop(clients[u % clients.length], sessions[u], since, resumed, running);
            });
    running.set(false);
    long count = resumed.get();
    double entries = metric(http, metrics, "souq_ws_replay_entries_total") - entriesBefore;
    System.out.printf(
        "resumes: %,d in %d s (%,.0f/s) by %d connections looping; replay entries read %.1f per resume (a scan of the global stream would read >= %,d)%n",
        count,
        seconds,
        count / (double) seconds,
        sessions.length,
        entries / Math.max(1, count),
        others);
    System.out.printf(
        "resumes: Redis CPU %.1f %% alone -> %.1f %% under the flood (%.1f us per resume); unrelated GET p50 %.3f -> %.3f ms, p99 %.3f -> %.3f ms (x%.2f)%n",
        baseline[2],
        flood[2],
        (flood[2] - baseline[2]) / 100 * seconds * 1e6 / Math.max(1, count),
        baseline[0],
        flood[0],
        baseline[1],
        flood[1],
        flood[1] / baseline[1]);
  }

  /** The id of the stream's first entry (XRANGE - + COUNT 1, read by hand). */
  static String firstOffset(Redis redis) throws IOException {
    redis.send("XRANGE", dev.souq.shared.messages.OrderUpdate.STREAM, "-", "+", "COUNT", "1");
    redis.out.flush();
    redis.line(); // *1
    redis.line(); // *2: id, fields
    redis.line(); // $n
    String id = redis.line();
    redis.line(); // *2: "data", json
    redis.drain(2);
    return id;
  }

  /** Opens one {@code /ws/orders} WebSocket; each message goes to {@code onMessage}. */
  static void connect(
      WebSocketClient client,
      String session,
      java.util.function.Consumer<String> onMessage,
      AtomicInteger failed,
      CountDownLatch open) {
    connect(client, session, onMessage, failed, open, 0);
  }

  /** {@link #connect}, the {@code attempt}-th time after a 1013. */
  static void connect(
      WebSocketClient client,
      String session,
      java.util.function.Consumer<String> onMessage,
      AtomicInteger failed,
      CountDownLatch open,
      int attempt) {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(host)
            .setPort(port)
            .setURI("/ws/orders")
            .addHeader("Cookie", "SOUQ_SESSION=" + session);
    client
        .connect(options)
        .onComplete(
            result -> {
              if (result.failed()) {
                failed.incrementAndGet();
              } else {
                var ws = result.result();
                ws.textMessageHandler(onMessage::accept);
                ws.closeHandler(
                    v -> {
                      closes
                          .computeIfAbsent(
                              ws.closeStatusCode() + " " + ws.closeReason(),
                              k -> new AtomicInteger())
                          .incrementAndGet();
                      if (Short.valueOf((short) 1013).equals(ws.closeStatusCode()) && attempt < 5) {
                        // Turned away as it opened (a cold server's lookups overrun in the
                        // set-up's storm): back again after the page's back-off, five times at
                        // most.
                        reopened.incrementAndGet();
                        java.util.concurrent.CompletableFuture.delayedExecutor(
                                backoffMs(attempt), TimeUnit.MILLISECONDS)
                            .execute(
                                () ->
                                    connect(client, session, onMessage, failed, null, attempt + 1));
                      }
                    });
              }
              if (open != null) {
                open.countDown();
              }
            });
  }

  /** The page's back-off before its {@code attempt}-th reopening: 250 ms × 2^attempt × 0.75–1. */
  static long backoffMs(int attempt) {
    double jitter = 0.75 + java.util.concurrent.ThreadLocalRandom.current().nextDouble() / 4;
    return (long) ((250L << attempt) * jitter);
  }

  /** Opens one {@code /sse/orders} stream; each event's data goes to {@code onMessage}. */
  static void stream(
      io.vertx.core.http.HttpClient client,
      String session,
      java.util.function.Consumer<String> onMessage,
      AtomicInteger failed,
      CountDownLatch open) {
    client
        .request(
            new io.vertx.core.http.RequestOptions()
                .setHost(host)
                .setPort(port)
                .setURI("/sse/orders")
                .addHeader("Cookie", "SOUQ_SESSION=" + session))
        .compose(request -> request.send())
        .onComplete(
            result -> {
              if (result.failed() || result.result().statusCode() != 200) {
                failed.incrementAndGet();
              } else {
                StringBuilder pending = new StringBuilder();
                result
                    .result()
                    .handler(
                        chunk -> {
                          pending.append(chunk.toString(StandardCharsets.UTF_8));
                          for (int end; (end = pending.indexOf("\n\n")) >= 0; ) {
                            int data = pending.indexOf("data: ");
                            if (data >= 0 && data < end) {
                              onMessage.accept(pending.substring(data + 6, end));
                            }
                            pending.delete(0, end + 2);
                          }
                        });
              }
              open.countDown();
            });
  }

  /** One connection after another for the user, each resuming from {@code since}, while running. */
  static void resumeLoop(
      WebSocketClient client,
      String session,
      String since,
      AtomicLong resumed,
      java.util.concurrent.atomic.AtomicBoolean running) {
    if (!running.get()) return;
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost(host)
            .setPort(port)
            .setURI("/ws/orders?since=" + since)
            .addHeader("Cookie", "SOUQ_SESSION=" + session);
    client
        .connect(options)
        .onComplete(
            result -> {
              if (result.failed()) {
                resumeLoop(client, session, since, resumed, running);
                return;
              }
              WebSocket socket = result.result();
              socket.textMessageHandler(
                  text -> {
                    if (text.contains("\"resumed\"") || text.contains("\"reload\"")) {
                      resumed.incrementAndGet();
                      socket
                          .close()
                          .onComplete(v -> resumeLoop(client, session, since, resumed, running));
                    }
                  });
            });
  }

  /**
   * Times GETs on its own connection for SECONDS after start.run(): {p50 ms, p99 ms, Redis CPU %}.
   */
  static double[] probe(int seconds, Runnable start) throws Exception {
    AtomicLongArray buckets = new AtomicLongArray(100_000); // 10 µs buckets
    try (Redis probe = new Redis()) {
      double cpuBefore = redisCpu(probe);
      long t0 = System.nanoTime();
      start.run();
      long deadline = t0 + seconds * 1_000_000_000L;
      while (System.nanoTime() < deadline) {
        long sent = System.nanoTime();
        probe.send("GET", "bench:probe");
        probe.drain(1);
        buckets.incrementAndGet(
            (int) Math.min(buckets.length() - 1, (System.nanoTime() - sent) / 10_000));
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // ~1,000 probes/s
      }
      double cpu = (redisCpu(probe) - cpuBefore) / ((System.nanoTime() - t0) / 1e9) * 100;
      return new double[] {percentile(buckets, 0.50), percentile(buckets, 0.99), cpu};
    }
  }

  /** Redis' own CPU seconds so far (INFO cpu: used_cpu_sys + used_cpu_user). */
  static double redisCpu(Redis redis) throws IOException {
    redis.send("INFO", "cpu");
    redis.out.flush();
    int length = Integer.parseInt(redis.line().substring(1));
    String info = new String(redis.in.readNBytes(length + 2), StandardCharsets.UTF_8);
    double total = 0;
    for (String line : info.split("\r\n")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
        total += Double.parseDouble(line.substring(line.indexOf(':') + 1));
      }
    }
    return total;
  }

  static double metric(
      java.net.http.HttpClient http, java.net.http.HttpRequest metrics, String name)
      throws Exception {
    for (String line :
        http.send(metrics, java.net.http.HttpResponse.BodyHandlers.ofString()).body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      }
    }
    return 0;
  }

  static int registered(java.net.http.HttpClient http, java.net.http.HttpRequest metrics)
      throws Exception {
    for (String line :
        http.send(metrics, java.net.http.HttpResponse.BodyHandlers.ofString()).body().split("\n")) {
      if (line.startsWith("souq_ws_connections ")) {
        return (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      }
    }
    return -1;
  }

  static void publish(Redis redis, String sha, String user, long sentNs) throws IOException {
    String json =
        "{\"order_id\":42,\"sent_ns\":"
            + (sentNs == 0 ? System.nanoTime() : sentNs)
            + ",\"status\":\"PAID\",\"timestamp\":\"2026-11-26T00:00:00Z\",\"user_id\":\""
            + user
            + "\"}";
    // As order-service's relay does: the global stream, the user's stream (what replays read).
    java.util.List<String> keys = dev.souq.shared.messages.OrderUpdate.publishKeys(user);
    java.util.List<String> command =
        new java.util.ArrayList<>(java.util.List.of("EVALSHA", sha, Integer.toString(keys.size())));
    command.addAll(keys);
    command.addAll(dev.souq.shared.messages.OrderUpdate.publishArgs(json, 10_000));
    redis.send(command.toArray(String[]::new));
  }

  static double percentile(AtomicLongArray buckets, double p) {
    long total = 0;
    for (int i = 0; i < buckets.length(); i++) total += buckets.get(i);
    long seen = 0;
    for (int i = 0; i < buckets.length(); i++) {
      seen += buckets.get(i);
      if (seen >= total * p) return i * 10 / 1000.0;
    }
    return Double.NaN;
  }

  /** The server's CPU time in ns (utime + stime from /proc, in clock ticks of 10 ms). */
  static long serverCpu() throws IOException {
    String pid = System.getProperty("server.pid", "");
    if (pid.isEmpty()) return 0;
    String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ");
    return (Long.parseLong(stat[13]) + Long.parseLong(stat[14])) * 10_000_000L;
  }

  static long cpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** A pipelining RESP client: send() writes, drain(n) reads n replies. */
  static final class Redis implements AutoCloseable {
    final Socket socket;
    final OutputStream out;
    final InputStream in;

    Redis() throws IOException {
      socket = new Socket(redisHost, redisPort);
      socket.setTcpNoDelay(true);
      out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
      in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
      send("SELECT", redisDb);
      drain(1);
    }

    void send(String... args) throws IOException {
      StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
        b.append('$').append(bytes.length).append("\r\n").append(a).append("\r\n");
      }
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    String scriptLoad(String script) throws IOException {
      send("SCRIPT", "LOAD", script);
      out.flush();
      int length = Integer.parseInt(line().substring(1));
      String sha = new String(in.readNBytes(length), StandardCharsets.UTF_8);
      in.readNBytes(2);
      return sha;
    }

    void drain(int n) throws IOException {
      out.flush();
      for (int i = 0; i < n; i++) {
        String line = line();
        if (line.startsWith("-")) throw new IOException(line);
        if (line.startsWith("$") && !line.equals("$-1")) {
          in.readNBytes(Integer.parseInt(line.substring(1)) + 2);
        }
      }
    }

    String line() throws IOException {
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) != '\n') {
        if (c == -1) throw new IOException("closed");
        if (c != '\r') b.append((char) c);
      }
      return b.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
