package dev.souq.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.souq.devstack.Component;
import dev.souq.devstack.Gateway;
import dev.souq.devstack.Ports;
import dev.souq.devstack.ServiceProcess;
import dev.souq.devstack.Upstreams;
import dev.souq.testing.SeededStock;
import dev.souq.testing.TestStack;
import dev.souq.testing.Tokens;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole shop as separate processes: the four packaged services on free ports, against the test
 * stack's real Redis and PostgreSQL, behind the devstack gateway (the same routing as the Ingress).
 * Always stopped by {@link #close}, also when a test failed.
 */
final class SouqSystem implements AutoCloseable, ExtensionContext.Store.CloseableResource {
  private final Path home = Path.of(System.getProperty("souq.home", ".."));
  private final Map<Component, Integer> ports = new EnumMap<>(Component.class);
  private final Map<Component, ServiceProcess> processes = new EnumMap<>(Component.class);
  private final List<ServiceProcess> extras = new ArrayList<>();
  private final Map<String, String> env = new HashMap<>();
  private final Vertx vertx = Vertx.vertx();
  private int gatewayPort;
  private Gateway proxy;
  private int proxyPort;
  private final String logs;
  private OtlpReceiver traces;

  private SouqSystem(String logs) {
    this.logs = logs;
  }

  /**
   * The shop every IT shares, exporting its traces (http/protobuf, batches sent every 200 ms) to an
   * {@link OtlpReceiver} in this JVM: all of them run with tracing on, as the services' own suites
   * run with it off.
   */
  static SouqSystem start() throws Exception {
    SouqSystem system = new SouqSystem("logs");
    try {
      system.traces = new OtlpReceiver(system.vertx);
      system.startAll(
          Map.of(
              "REDIS_URL",
              TestStack.get().redisUrl(),
              "OTEL_EXPORTER_OTLP_ENDPOINT",
              system.traces.endpoint(),
              "OTEL_EXPORTER_OTLP_PROTOCOL",
              "http/protobuf",
              "QUARKUS_OTEL_BSP_SCHEDULE_DELAY",
              "200ms"));
      return system;
    } catch (Exception | Error e) {
      system.close();
      throw e;
    }
  }

  /** The collector this shop's services export their traces to (the shared shop only). */
  OtlpReceiver traces() {
    return traces;
  }

  /**
   * The shop with {@code settings} (env) over its own: the Redis they name (the variables of one
   * topology, e.g. {@code REDIS_CLUSTER_NODES}) and the test stack's PostgreSQL; its logs in {@code
   * e2e/target/<logs>}.
   */
  static SouqSystem start(String logs, Map<String, String> settings) throws Exception {
    SouqSystem system = new SouqSystem(logs);
    try {
      system.startAll(settings);
      return system;
    } catch (Exception | Error e) {
      system.close();
      throw e;
    }
  }

  private void startAll(Map<String, String> settings) throws Exception {
    for (Component component : Component.values()) {
      ports.put(component, Ports.free());
    }
    // Blank, as unset, unless given: this JVM's own REDIS_URL (CI's) must not name a second Redis.
    for (String redis :
        List.of("REDIS_URL", "REDIS_HOST", "REDIS_SENTINELS", "REDIS_CLUSTER_NODES")) {
      env.put(redis, "");
    }
    env.put("DATABASE_URL", TestStack.get().databaseUrl());
    env.put("SOUQ_ADMIN_TOKEN", Tokens.ADMIN);
    env.put("SOUQ_SERVICE_TOKEN", Tokens.SERVICE);
    env.put("CATALOG_URL", "http://127.0.0.1:" + ports.get(Component.CATALOG));
    env.put("ORDER_URL", "http://127.0.0.1:" + ports.get(Component.ORDER));
    // One browser and the tests share 127.0.0.1: a budget no run spends, the limiter still on.
    env.put("SOUQ_RATE_LIMIT_PER_MINUTE", "100000");
    env.put("SOUQ_RATE_LIMIT_CATALOG_PER_MINUTE", "100000");
    env.put("SOUQ_RATE_LIMIT_SESSIONS_PER_MINUTE", "100000");
    env.put("SOUQ_RATE_LIMIT_ORDERS_PER_MINUTE", "100000");
    env.put("SOUQ_RATE_LIMIT_SIGN_IN_PER_MINUTE", "100000");
    env.put("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true");
    env.put("QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "true");
    env.put("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "127.0.0.1");
    // Unpaid orders are cancelled after 20 s, looked for every second (StockIT): far longer than
    // any other test leaves an order unpaid.
    env.put("SOUQ_UNPAID_ORDER_TIMEOUT", "20s");
    env.put("WORKER_SCHEDULES_CANCEL_UNPAID_ORDERS_EVERY", "1s");
    // The mock mailer keeps and logs each confirmation in full, so a test can read where it went.
    env.put("WORKER_SHOP_KEEP_MOCK_MAILS", "true");
    env.putAll(settings);
    for (Component component : Component.values()) {
      launch(component);
    }
    for (ServiceProcess process : processes.values()) {
      process.awaitReady(Duration.ofSeconds(90));
    }
    SeededStock.makePlenty("http://127.0.0.1:" + ports.get(Component.CATALOG));
    Gateway gateway = new Gateway(vertx, "127.0.0.1", Upstreams.single(ports::get));
    gatewayPort =
        gateway
            .listen(Ports.free())
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    // A second way in, as through a corporate proxy: tests decide whether it lets WebSockets by.
    proxy = new Gateway(vertx, "127.0.0.1", Upstreams.single(ports::get));
    proxyPort =
        proxy
            .listen(Ports.free())
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
  }

  private void launch(Component component) throws Exception {
    Path jar = jar(component);
    processes.put(
        component,
        ServiceProcess.start(
            component, jar, ports.get(component), env, logFile(component.module() + ".log")));
  }

  /** The component's packaged service, as ./run starts it. */
  Path jar(Component component) {
    return home.resolve(component.module()).resolve("target/quarkus-app/quarkus-run.jar");
  }

  /** The environment the shop's services get (its Redis, PostgreSQL, tokens, collector). */
  Map<String, String> serviceEnv() {
    return Map.copyOf(env);
  }

  Path logFile(String name) {
    return home.resolve("e2e/target").resolve(logs).resolve(name);
  }

  /** What the component has logged since it last started. */
  String logged(Component component) throws java.io.IOException {
    return processes.get(component).logged();
  }

  /** The shop's one origin, as a browser sees it. */
  String url() {
    return "http://127.0.0.1:" + gatewayPort;
  }

  /** The shop through the second gateway, whose WebSocket upgrades tests may refuse. */
  String urlThroughProxy() {
    return "http://127.0.0.1:" + proxyPort;
  }

  /** Whether the second gateway refuses WebSocket upgrades (403), as some proxies do. */
  void proxyRefusesWebSockets(boolean refuse) {
    proxy.refuseWebSockets(refuse);
  }

  /** A new guest session through the gateway, as the page starts one; its id. */
  String guestSession() {
    return given()
        .baseUri(url())
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/sessions")
        .then()
        .statusCode(201)
        .extract()
        .cookie("SOUQ_SESSION");
  }

  /**
   * Puts {@code quantity} of product {@code productId} in the session's cart, through the gateway.
   */
  void fillCart(String session, int productId, int quantity) {
    given()
        .baseUri(url())
        .cookie("SOUQ_SESSION", session)
        .contentType(ContentType.JSON)
        .body(Map.of("items", List.of(Map.of("product_id", productId, "quantity", quantity))))
        .put("/api/cart")
        .then()
        .statusCode(200);
  }

  /** Places the session's cart through the gateway (201, PENDING); the order's id. */
  long placeCart(String session) {
    return given()
        .baseUri(url())
        .cookie("SOUQ_SESSION", session)
        .contentType(ContentType.JSON)
        .body("{}")
        .post("/api/orders")
        .then()
        .statusCode(201)
        .body("status", org.hamcrest.Matchers.equalTo("PENDING"))
        .extract()
        .<Number>path("id")
        .longValue();
  }

  /** Places an order of one {@code productId} for the session through the gateway; its id. */
  long placeOrderOf(String session, long productId) {
    return given()
        .baseUri(url())
        .cookie("SOUQ_SESSION", session)
        .contentType(ContentType.JSON)
        .body(Map.of("items", List.of(Map.of("product_id", productId, "quantity", 1))))
        .post("/api/orders")
        .then()
        .statusCode(201)
        .extract()
        .<Number>path("id")
        .longValue();
  }

  /**
   * Places an order of one {@code productId} for the session through the gateway and waits until
   * worker-service has paid it; its id.
   */
  long placePaidOrder(String session, int productId) {
    long order = placeOrderOf(session, productId);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                "PAID"
                    .equals(
                        given()
                            .baseUri(url())
                            .cookie("SOUQ_SESSION", session)
                            .get("/api/orders/" + order)
                            .then()
                            .extract()
                            .path("status")));
    return order;
  }

  /** The operator sets the order's status, through the gateway. */
  void changeStatus(long order, String status) {
    given()
        .baseUri(url())
        .header("Authorization", Tokens.ADMIN_BEARER)
        .contentType(ContentType.JSON)
        .body(Map.of("status", status))
        .post("/api/orders/" + order + "/status")
        .then()
        .statusCode(200);
  }

  /** Where the component itself answers, without the gateway. */
  URI uri(Component component) {
    return processes.get(component).uri();
  }

  /**
   * Starts one more replica of the component with the shop's settings, on a port of its own, and
   * waits until it is ready; stopped with the shop.
   */
  ServiceProcess startReplica(Component component) throws Exception {
    return startReplica(component, Map.of());
  }

  /** {@link #startReplica(Component)} with {@code settings} (env) on top of the shop's own. */
  ServiceProcess startReplica(Component component, Map<String, String> settings) throws Exception {
    int port = Ports.free();
    Path jar = jar(component);
    Path log = logFile(component.module() + "-" + port + ".log");
    Map<String, String> replicaEnv = new HashMap<>(env);
    replicaEnv.putAll(settings);
    ServiceProcess replica = ServiceProcess.start(component, jar, port, replicaEnv, log);
    extras.add(replica);
    replica.awaitReady(Duration.ofSeconds(90));
    return replica;
  }

  /** Waits until every component answers ready. */
  void awaitReady(Duration timeout) throws InterruptedException {
    for (ServiceProcess process : processes.values()) {
      process.awaitReady(timeout);
    }
  }

  /** Where the component's management interface ({@code /q/*}) answers. */
  URI management(Component component) {
    return processes.get(component).managementUri();
  }

  /** SIGKILL, as when a node dies. */
  void kill(Component component) throws InterruptedException {
    processes.get(component).kill();
  }

  /** Starts the component again on its port and waits until it is ready. */
  void restart(Component component) throws Exception {
    stop(component);
    start(component);
  }

  /** SIGTERM, and waits for the process to end. */
  void stop(Component component) throws InterruptedException {
    processes.get(component).stop(Duration.ofSeconds(10));
  }

  /** Starts a stopped component again on its port and waits until it is ready. */
  void start(Component component) throws Exception {
    launch(component);
    processes.get(component).awaitReady(Duration.ofSeconds(90));
  }

  /**
   * Restarts the component with {@code settings} (env) on top of the shop's own, until the next
   * {@link #restart}; {@code Map.of()} restores the shop's own.
   */
  void restartWith(Component component, Map<String, String> settings) throws Exception {
    stop(component);
    Map<String, String> shop = new HashMap<>(env);
    env.putAll(settings);
    try {
      start(component);
    } finally {
      env.clear();
      env.putAll(shop);
    }
  }

  @Override
  public void close() throws Exception {
    for (ServiceProcess extra : extras) {
      extra.stop(Duration.ofSeconds(20));
    }
    for (ServiceProcess process : processes.values()) {
      process.stop(Duration.ofSeconds(20));
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
