package dev.souq.testing;

import dev.souq.devstack.Component;
import dev.souq.devstack.Ports;
import dev.souq.devstack.ServiceProcess;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Packaged replicas of a service ({@code java -jar quarkus-run.jar}, each on a free port) against
 * the test stack's Redis and PostgreSQL, with the test {@link Tokens}. {@link #close} stops every
 * one started, also after a failed test.
 *
 * <p>Tests that start replicas call them with plain RestAssured, which would wait for an answer
 * forever: creating a {@code Replicas} gives RestAssured the timeouts {@code @QuarkusTest} gives it
 * ({@code quarkus.http.test-timeout}, 30 s), so a replica that stops answering fails the test.
 */
public final class Replicas implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(60);
  private static final int HTTP_TIMEOUT_MS = 30_000;

  private final Component component;
  private final Path jar;
  private final Map<String, String> env = new HashMap<>();
  private final List<ServiceProcess> started = new ArrayList<>();

  /** Replicas of the module under test: its own {@code target/quarkus-app}. */
  public Replicas(Component component) {
    this(component, Path.of("target/quarkus-app/quarkus-run.jar"));
  }

  public Replicas(Component component, Path jar) {
    this.component = component;
    this.jar = jar;
    TestStack stack = TestStack.get();
    env.put("REDIS_URL", stack.redisUrl());
    env.put("DATABASE_URL", stack.databaseUrl());
    env.put("SOUQ_ADMIN_TOKEN", Tokens.ADMIN);
    env.put("SOUQ_SERVICE_TOKEN", Tokens.SERVICE);
    RestAssured.config =
        RestAssured.config()
            .httpClient(
                HttpClientConfig.httpClientConfig()
                    .setParam("http.connection.timeout", HTTP_TIMEOUT_MS)
                    .setParam("http.socket.timeout", HTTP_TIMEOUT_MS));
  }

  /** A setting every replica started from now on gets. */
  public Replicas with(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** Starts {@code count} replicas (a, b, …) side by side and waits until each is ready. */
  public List<ServiceProcess> start(int count) throws IOException, InterruptedException {
    List<ServiceProcess> replicas = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      replicas.add(launch(String.valueOf((char) ('a' + i)), Map.of()));
    }
    for (ServiceProcess replica : replicas) {
      replica.awaitReady(READY);
    }
    return replicas;
  }

  /** Starts one named replica with settings of its own and waits until it is ready. */
  public ServiceProcess start(String name, Map<String, String> settings)
      throws IOException, InterruptedException {
    ServiceProcess replica = launch(name, settings);
    replica.awaitReady(READY);
    return replica;
  }

  /** Starts one without waiting: for a replica expected to die or refuse to start. */
  public ServiceProcess launch(String name, Map<String, String> settings) throws IOException {
    Map<String, String> replicaEnv = new HashMap<>(env);
    replicaEnv.putAll(settings);
    ServiceProcess replica =
        ServiceProcess.start(
            component,
            jar,
            Ports.free(),
            replicaEnv,
            Path.of("target/replicas/" + component.module() + "-" + name + ".log"));
    started.add(replica);
    return replica;
  }

  @Override
  public void close() throws InterruptedException {
    for (ServiceProcess replica : started) {
      replica.stop(Duration.ofSeconds(15));
    }
  }
}
