import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Operator status change → owner's WebSocket frame, end to end, at a fixed rate.
 *
 * <pre>
 * setup FILE SESSIONS ORDERS         guest sessions, ORDERS orders spread over them (8 at a time);
 *                                    writes "order_id cookie" lines to FILE
 * run WARM_FILE FILE RATE [WARM_RATE TAIL_FILE]
 *                                    one /ws/orders per session of the files; then PAID, SHIPPED,
 *                                    DELIVERED for every order of WARM_FILE (the warm-up, not
 *                                    counted, at WARM_RATE changes/s, default RATE), the same for
 *                                    TAIL_FILE's at RATE (the warm-up's end, not counted either),
 *                                    then for FILE's at RATE, each on a fixed schedule; the
 *                                    relay lag from order-service's histogram
 *                                    buckets read before and after FILE's changes; prints
 *                                    "measuring" before FILE's changes and waits for a line
 *                                    (or EOF) on stdin
 * </pre>
 *
 * Per change it records: the API's response time and the frame's arrival, both counted from when
 * the request was due (a stall is not hidden); and, from the frame itself, the hops: due → the
 * change's timestamp (taken in order-service before its flush), timestamp → XADD (the stream id is
 * Redis's clock in ms: commit + relay), XADD → frame (notification-service). One host, one clock.
 * Usage: java StatusLatency.java ORDER_PORT NOTIFICATION_PORT ADMIN_TOKEN MODE ARGS...
 */
public class StatusLatency {
  static final String[] STEPS = {"PAID", "SHIPPED", "DELIVERED"};

  public static void main(String[] args) throws Exception {
    // The service's jars bring JBoss LogManager, whose root level is ALL unless Quarkus sets it:
    // Netty would then format a trace message for every WebSocket frame, on this box's shared CPU.
    org.jboss.logmanager.LogContext.getLogContext()
        .getLogger("")
        .setLevel(java.util.logging.Level.INFO);
    int orderPort = Integer.parseInt(args[0]);
    int wsPort = Integer.parseInt(args[1]);
    String token = args[2];
    String[] rest = Arrays.copyOfRange(args, 4, args.length);
    try {
      switch (args[3]) {
        case "setup" ->
            setup(
                orderPort, Path.of(rest[0]), Integer.parseInt(rest[1]), Integer.parseInt(rest[2]));
        case "run" ->
            run(
                orderPort,
                wsPort,
                token,
                Path.of(rest[0]),
                Path.of(rest[1]),
                Integer.parseInt(rest[2]),
                Integer.parseInt(rest.length > 3 ? rest[3] : rest[2]),
                rest.length > 4 ? Path.of(rest[4]) : null);
        default -> throw new IllegalArgumentException(args[3]);
      }
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  static void setup(int port, Path file, int sessions, int orders) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port;
    List<String> cookies = new ArrayList<>();
    for (int s = 0; s < sessions; s++) {
      HttpResponse<String> created =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/sessions"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String cookie = created.headers().firstValue("set-cookie").orElseThrow();
      cookies.add(cookie.substring(0, cookie.indexOf(';')));
    }
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<String>> placed = new ArrayList<>();
    for (int o = 0; o < orders; o++) {
      String cookie = cookies.get(o % sessions);
      long product = 1 + o % 36;
      placed.add(
          pool.submit(
              () -> {
                HttpRequest place =
                    HttpRequest.newBuilder(URI.create(base + "/api/orders"))
                        .header("Content-Type", "application/json")
                        .header("Cookie", cookie)
                        .POST(
                            HttpRequest.BodyPublishers.ofString(
                                "{\"items\":[{\"product_id\":" + product + ",\"quantity\":1}]}"))
                        .build();
                HttpResponse<String> r = http.send(place, HttpResponse.BodyHandlers.ofString());
                // Set-up on a busy box: a 503 (catalog slow to answer) is retried, not fatal.
                for (int attempt = 0; r.statusCode() == 503 && attempt < 10; attempt++) {
                  Thread.sleep(200);
                  r = http.send(place, HttpResponse.BodyHandlers.ofString());
                }
                if (r.statusCode() != 201) {
                  throw new IllegalStateException("order: " + r.statusCode() + " " + r.body());
                }
                return new JsonObject(r.body()).getLong("id") + " " + cookie;
              }));
    }
    List<String> lines = new ArrayList<>();
    for (Future<String> f : placed) {
      lines.add(f.get());
    }
    pool.shutdown();
    Files.write(file, lines);
    System.out.printf(
        "setup: %d sessions, %d orders in %.1f s%n",
        sessions, orders, (System.nanoTime() - t0) / 1e9);
  }

  static void run(
      int orderPort,
      int wsPort,
      String token,
      Path warmFile,
      Path file,
      int rate,
      int warmRate,
      Path tailFile)
      throws Exception {
    List<String> warmLines = Files.readAllLines(warmFile);
    List<String> tailLines = tailFile == null ? List.of() : Files.readAllLines(tailFile);
    List<String> lines = new ArrayList<>(warmLines);
    lines.addAll(tailLines);
    lines.addAll(Files.readAllLines(file));
    int orders = lines.size();
    long[] orderIds = new long[orders];
    List<String> cookies = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      String[] parts = lines.get(i).split(" ");
      orderIds[i] = Long.parseLong(parts[0]);
      if (!cookies.contains(parts[1])) {
        cookies.add(parts[1]);
      }
    }
    // The warm-up's orders first, each set PAID, then SHIPPED, then DELIVERED: change c is
    // (order, step), and the frame's (order_id, status) finds c again.
    int warmOrders = warmLines.size() + tailLines.size();
    int warmup = warmOrders * STEPS.length;
    int changes = orders * STEPS.length;
    long[] changeOrder = new long[changes];
    String[] changeStep = new String[changes];
    Map<String, Integer> indexOfChange = new ConcurrentHashMap<>();
    int c0 = 0;
    int[][] sets = {{0, warmLines.size()}, {warmLines.size(), warmOrders}, {warmOrders, orders}};
    for (int[] set : sets) {
      for (String step : STEPS) {
        for (int i = set[0]; i < set[1]; i++) {
          changeOrder[c0] = orderIds[i];
          changeStep[c0] = step;
          indexOfChange.put(orderIds[i] + " " + step, c0++);
        }
      }
    }
    long[] due = new long[changes];
    long[] answered = new long[changes];
    long[] framed = new long[changes];
    long[] eventMicros = new long[changes]; // the change's timestamp, epoch µs
    long[] xaddMillis = new long[changes]; // the stream id's time, epoch ms
    int[] statusCodes = new int[changes];
    // One clock for both: nanoTime for intervals, anchored once to the epoch for the frames' times.
    long anchorNanos = System.nanoTime();
    long anchorMicros =
        Instant.now().toEpochMilli() * 1000 + (Instant.now().getNano() / 1000) % 1000;

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    // Vert.x opens at most 50 WebSockets per host unless told otherwise.
    WebSocketClient ws =
        vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(1000));
    CountDownLatch open = new CountDownLatch(cookies.size());
    AtomicInteger frames = new AtomicInteger();
    for (String cookie : cookies) {
      ws.connect(
              new WebSocketConnectOptions()
                  .setHost("127.0.0.1")
                  .setPort(wsPort)
                  .setURI("/ws/orders")
                  .addHeader("Cookie", cookie))
          .onComplete(
              r -> {
                if (r.failed()) {
                  System.out.println("websocket failed: " + r.cause());
                } else {
                  r.result()
                      .textMessageHandler(
                          text -> {
                            long now = System.nanoTime();
                            JsonObject frame = new JsonObject(text);
                            if (!"order_update".equals(frame.getString("type"))) {
                              return;
                            }
                            Integer c =
                                indexOfChange.get(
                                    frame.getLong("order_id") + " " + frame.getString("status"));
                            if (c != null && framed[c] == 0) {
                              framed[c] = now;
                              Instant at = Instant.parse(frame.getString("timestamp"));
                              eventMicros[c] =
                                  at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
                              String offset = frame.getString("offset");
                              xaddMillis[c] =
                                  Long.parseLong(offset.substring(0, offset.indexOf('-')));
                              frames.incrementAndGet();
                            }
                          });
                }
                open.countDown();
              });
    }
    open.await(30, TimeUnit.SECONDS);
    waitUntilRegistered(wsPort, cookies.size());

    HttpClient http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(orderPort)
                .setTcpNoDelay(true),
            new PoolOptions().setHttp1MaxSize(64));
    AtomicInteger answers = new AtomicInteger();
    Map<Double, Double> lagBefore = null;
    int fast = warmLines.size() * STEPS.length;
    int[][] phases = {{0, fast, warmRate}, {fast, warmup, rate}, {warmup, changes, rate}};
    for (int[] phase : phases) {
      long interval = 1_000_000_000L / phase[2];
      if (phase == phases[2]) {
        lagBefore = lagBuckets(orderPort);
        // bench/status.sh reads the services' JIT time now and answers on stdin, so its reading
        // does not run beside the measured changes (EOF, e.g. stdin from /dev/null, goes on).
        System.out.println("measuring");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      }
      long start = System.nanoTime() + 200_000_000L;
      for (int c = phase[0]; c < phase[1]; c++) {
        int i = c;
        due[c] = start + (c - phase[0]) * interval;
        long wait = due[c] - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        String body = "{\"status\":\"" + changeStep[c] + "\"}";
        http.request(
                new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setURI("/api/orders/" + changeOrder[c] + "/status")
                    .addHeader("Authorization", "Bearer " + token)
                    .addHeader("Content-Type", "application/json"))
            .compose(req -> req.send(Buffer.buffer(body)))
            .compose(
                resp -> {
                  statusCodes[i] = resp.statusCode();
                  return resp.body();
                })
            .onComplete(
                r -> {
                  answered[i] = System.nanoTime();
                  answers
                      .incrementAndGet(); // after the write: the main thread reads answered[] after
                  // this
                });
      }
      long last = System.nanoTime() + 10_000_000_000L;
      while ((frames.get() < phase[1] || answers.get() < phase[1]) && System.nanoTime() < last) {
        Thread.sleep(10);
      }
    }
    Map<Double, Double> lagAfter = lagBuckets(orderPort);
    double seconds = (due[changes - 1] - due[warmup]) / 1e9;
    long errors = Arrays.stream(statusCodes).skip(warmup).filter(s -> s != 200).count();
    int counted = changes - warmup;
    double[] api = new double[counted];
    double[] frame = new double[counted];
    List<Double> toEvent = new ArrayList<>();
    List<Double> toXadd = new ArrayList<>();
    List<Double> toFrame = new ArrayList<>();
    int missing = 0;
    for (int c = warmup; c < changes; c++) {
      api[c - warmup] = answered[c] == 0 ? 10_000 : (answered[c] - due[c]) / 1e6;
      if (framed[c] == 0) {
        missing++;
        frame[c - warmup] = 10_000; // never arrived: counted as 10 s
        continue;
      }
      frame[c - warmup] = (framed[c] - due[c]) / 1e6;
      long dueMicros = anchorMicros + (due[c] - anchorNanos) / 1000;
      long frameMicros = anchorMicros + (framed[c] - anchorNanos) / 1000;
      toEvent.add((eventMicros[c] - dueMicros) / 1e3);
      toXadd.add(xaddMillis[c] - eventMicros[c] / 1e3);
      toFrame.add((frameMicros - xaddMillis[c] * 1000) / 1e3);
    }
    System.out.printf(
        "warm-up: %d changes at %d/s, then %d at %d/s (%d orders), not counted%n",
        fast, warmRate, warmup - fast, rate, warmOrders);
    System.out.printf(
        "%d changes at %d/s over %.1f s (%d sessions, %d orders): %d non-200, %d frames missing%n",
        counted, rate, seconds, cookies.size(), orders - warmOrders, errors, missing);
    System.out.printf(
        "API response      p50 %7.2f  p99 %7.2f  max %7.2f ms%n",
        p(api, 0.5), p(api, 0.99), p(api, 1));
    System.out.printf(
        "request → frame   p50 %7.2f  p99 %7.2f  max %7.2f ms%n",
        p(frame, 0.5), p(frame, 0.99), p(frame, 1));
    System.out.println(
        "hops (the XADD time is Redis's, in whole ms: ±1 ms on the two hops beside it):");
    hop("  request → change's timestamp (HTTP, lock, before flush)", toEvent);
    hop("  timestamp → XADD (flush, commit, relay)", toXadd);
    hop("  XADD → frame (notification-service, client)", toFrame);
    System.out.printf(
        "relay lag (outbox insert → Redis, from order-service's histogram, %.0f messages): p50 %.2f  p99 %.2f ms%n",
        lagAfter.get(Double.POSITIVE_INFINITY)
            - lagBefore.getOrDefault(Double.POSITIVE_INFINITY, 0.0),
        quantile(lagBefore, lagAfter, 0.5) * 1000,
        quantile(lagBefore, lagAfter, 0.99) * 1000);
    System.out.printf("RESULT status_frame_p50_ms=%.2f%n", p(frame, 0.5));
    System.out.printf("RESULT status_frame_p99_ms=%.2f%n", p(frame, 0.99));
    System.out.printf("RESULT status_api_p99_ms=%.2f%n", p(api, 0.99));
    System.out.printf("RESULT relay_lag_p50_ms=%.2f%n", quantile(lagBefore, lagAfter, 0.5) * 1000);
    System.out.printf("RESULT relay_lag_p99_ms=%.2f%n", quantile(lagBefore, lagAfter, 0.99) * 1000);
    vertx.close();
  }

  /** order-service's souq_outbox_lag_seconds histogram: upper bound (s) → cumulative count. */
  // /q/metrics is on each service's management port: its port + 1000, as bench/status.sh starts
  // them.
  static Map<Double, Double> lagBuckets(int orderPort) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    HttpRequest metrics =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (orderPort + 1000) + "/q/metrics"))
            .build();
    Map<Double, Double> buckets = new TreeMap<>();
    Matcher m =
        Pattern.compile("(?m)^souq_outbox_lag_seconds_bucket\\{.*le=\"([^\"]+)\".*\\} (\\S+)$")
            .matcher(http.send(metrics, HttpResponse.BodyHandlers.ofString()).body());
    while (m.find()) {
      buckets.put(
          m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)),
          Double.parseDouble(m.group(2)));
    }
    return buckets;
  }

  /** The q-quantile of what the histogram counted between two reads, as histogram_quantile. */
  static double quantile(Map<Double, Double> before, Map<Double, Double> after, double q) {
    double total =
        after.get(Double.POSITIVE_INFINITY) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
    double rank = q * total;
    double lower = 0;
    double below = 0;
    for (Map.Entry<Double, Double> bucket : after.entrySet()) {
      double count = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0);
      if (count >= rank) {
        return bucket.getKey().isInfinite()
            ? lower
            : lower + (bucket.getKey() - lower) * (rank - below) / Math.max(count - below, 1e-9);
      }
      lower = bucket.getKey();
      below = count;
    }
    return lower;
  }

  static void hop(String name, List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    System.out.printf(
        "%-58s p50 %7.2f  p99 %7.2f  max %7.2f ms%n", name, p(v, 0.5), p(v, 0.99), p(v, 1));
  }

  static double p(double[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
  }

  /** The server registers a connection after its session lookup: wait until all are routable. */
  static void waitUntilRegistered(int port, int want) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    HttpRequest metrics =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (port + 1000) + "/q/metrics"))
            .build();
    for (int i = 0; i < 300; i++) {
      for (String line :
          http.send(metrics, HttpResponse.BodyHandlers.ofString()).body().split("\n")) {
        if (line.startsWith("souq_ws_connections ")
            && Double.parseDouble(line.substring(line.indexOf(' ') + 1)) >= want) {
          return;
        }
      }
      Thread.sleep(100);
    }
    String seen =
        http.send(metrics, HttpResponse.BodyHandlers.ofString())
            .body()
            .lines()
            .filter(line -> line.startsWith("souq_ws_"))
            .collect(java.util.stream.Collectors.joining("; "));
    throw new IllegalStateException("not all " + want + " websockets registered: " + seen);
  }
}
