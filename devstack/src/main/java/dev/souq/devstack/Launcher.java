package dev.souq.devstack;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./run}: embedded PostgreSQL and Redis (unless {@code DATABASE_URL}/{@code REDIS_URL} point
 * elsewhere), the four services as child JVMs, and the gateway on :8080. Ctrl-C or SIGTERM stops
 * all of it, children first. With {@code --replicas N} it runs N replicas of each service (the
 * first on the contract ports, the others 100, 200, … above) and the gateway balances across the
 * ready ones. With {@code --servers-only} it starts just the embedded PostgreSQL and Redis (for
 * bench/all.sh on a machine without them) and prints their URLs.
 */
public final class Launcher {
  private static final int MAX_REPLICAS = 9;

  private final Path home;
  private final Path state;
  private final Map<String, String> env;
  private final ServiceFleet services;
  private final DataServers servers;
  // Pushed by the main thread, popped by the shutdown hook, which may come mid-start.
  private final Deque<Stoppable> started = new ConcurrentLinkedDeque<>();

  Launcher(Path home, Map<String, String> env, int replicas) {
    this.home = home;
    this.state = home.resolve(".souq");
    this.env = env;
    this.services = new ServiceFleet(home, state.resolve("logs"), replicas);
    this.servers = new DataServers(state, env, started::push);
  }

  public static void main(String[] args) throws Exception {
    Path home = Path.of(System.getProperty("souq.home", ".")).toAbsolutePath().normalize();
    Launcher launcher;
    try {
      launcher = new Launcher(home, System.getenv(), replicas(List.of(args)));
    } catch (IllegalArgumentException e) {
      Console.line("✗ %s", e.getMessage());
      System.exit(2);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(launcher::stopAll, "souq-shutdown"));
    try {
      if (List.of(args).contains("--servers-only")) {
        launcher.startServers();
      } else {
        launcher.startAll();
      }
    } catch (Exception e) {
      Console.line("✗ %s", e.getMessage());
      System.exit(1); // the shutdown hook stops whatever had started
    }
    new CountDownLatch(1).await(); // until Ctrl-C or SIGTERM
  }

  /** {@code --replicas N} (or {@code --replicas=N}), 1 to 9; 1 when absent. */
  static int replicas(List<String> args) {
    String value = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--replicas")) {
        value = i + 1 < args.size() ? args.get(i + 1) : "";
      } else if (arg.startsWith("--replicas=")) {
        value = arg.substring("--replicas=".length());
      }
    }
    if (value == null) {
      return 1;
    }
    try {
      int count = Integer.parseInt(value);
      if (count >= 1 && count <= MAX_REPLICAS) {
        return count;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException(
        "--replicas takes a number from 1 to " + MAX_REPLICAS + ", not '" + value + "'");
  }

  void startAll() throws Exception {
    int gatewayPort = EnvVars.intValue(env, "SOUQ_GATEWAY_PORT", 8080);
    PortCheck ports = new PortCheck().want(gatewayPort, "gateway");
    for (Component component : Component.values()) {
      List<Upstreams.Replica> all = services.replicasOf(component);
      for (int i = 0; i < all.size(); i++) {
        String name = ServiceFleet.name(component, i);
        ports.want(all.get(i).port(), name);
        ports.want(all.get(i).managementPort(), name + " management");
      }
    }
    DataServers.Urls urls = servers.start(ports);

    Map<String, String> serviceEnv = new HashMap<>();
    serviceEnv.put("DATABASE_URL", urls.database());
    serviceEnv.put("REDIS_URL", urls.redis());
    // ServiceFleet gives them only to the services that hold tokens.
    serviceEnv.put("SOUQ_ADMIN_TOKEN", token("SOUQ_ADMIN_TOKEN", "admin-token"));
    serviceEnv.put("SOUQ_SERVICE_TOKEN", token("SOUQ_SERVICE_TOKEN", "service-token"));
    // Plain http on localhost: browsers keep Secure cookies only there, so other hosts need this.
    serviceEnv.put("SOUQ_COOKIE_SECURE", envValue("SOUQ_COOKIE_SECURE").orElse("false"));
    // The gateway is the edge: services trust its X-Forwarded-For, so the rate limiter sees
    // the browser's address rather than the gateway's.
    serviceEnv.put("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true");
    serviceEnv.put("QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "true");
    serviceEnv.put("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "127.0.0.1");
    started.push(services::stop); // whatever has started, should a stop come mid-start
    services.start(serviceEnv);
    startGateway(gatewayPort);

    Console.line("");
    Console.line("Souq is up:   http://localhost:%d/", gatewayPort);
    Console.line("  products    http://localhost:%d/api/products", gatewayPort);
    for (Component component : Component.values()) {
      Console.line(
          "  %-20s http://localhost:%d/q/swagger-ui",
          component.module(), component.managementPort());
    }
    Console.line("  admin token in %s", home.relativize(state.resolve("admin-token")));
    Console.line("  logs in %s", home.relativize(state.resolve("logs")));
    Console.line("Press Ctrl-C to stop.");
  }

  /** Only the embedded PostgreSQL and Redis, each unless its URL is set; prints both URLs. */
  void startServers() {
    DataServers.Urls urls = servers.start(new PortCheck());
    Console.line("DATABASE_URL=%s", urls.database());
    Console.line("REDIS_URL=%s", urls.redis());
    Console.line("Servers up. Press Ctrl-C to stop.");
  }

  private void startGateway(int port) throws Exception {
    Vertx vertx = Vertx.vertx();
    started.push(
        () -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
    // To watch the page fall back to Server-Sent Events, as behind a proxy that drops upgrades.
    boolean refuse =
        envValue("SOUQ_GATEWAY_REFUSE_WEBSOCKETS").map(Boolean::parseBoolean).orElse(false);
    Map<Component, List<Upstreams.Replica>> upstreams = new EnumMap<>(Component.class);
    for (Component component : Component.values()) {
      upstreams.put(component, services.replicasOf(component));
    }
    Gateway gateway =
        new Gateway(vertx, "127.0.0.1", new Upstreams(upstreams)).refuseWebSockets(refuse);
    try {
      gateway.listen(port).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(
          "gateway could not listen on port " + port + ": " + e.getCause().getMessage());
    }
    Console.line("✓ %-22s http://localhost:%d", "gateway", port);
  }

  /** A token: the env's, else one generated once (192 bits) and kept in .souq/{@code name}. */
  private String token(String env, String name) throws IOException {
    Optional<String> fromEnv = envValue(env);
    if (fromEnv.isPresent()) {
      return fromEnv.get();
    }
    Path file = state.resolve(name);
    if (Files.isRegularFile(file)) {
      return Files.readString(file).trim();
    }
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String token = HexFormat.of().formatHex(bytes);
    Files.createDirectories(state);
    Files.writeString(file, token + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return token;
  }

  /** Stops everything that started, most recent first; safe to call twice. */
  void stopAll() {
    if (started.isEmpty()) {
      return;
    }
    Console.line("Stopping Souq…");
    services.terminateTrainers(); // first: writing their class archives takes them seconds
    while (!started.isEmpty()) {
      try {
        started.pop().stop();
      } catch (Exception e) {
        Console.line("  (while stopping: %s)", e.getMessage());
      }
    }
    Console.line("Stopped.");
  }

  private Optional<String> envValue(String name) {
    return EnvVars.value(env, name);
  }
}
