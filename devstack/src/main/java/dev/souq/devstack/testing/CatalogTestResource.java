package dev.souq.devstack.testing;

import dev.souq.devstack.Component;
import dev.souq.devstack.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Runs the real, packaged catalog-service beside a module's tests (order-service takes its prices
 * from it), against the same {@link TestStack}, and points {@code quarkus.rest-client.catalog.url}
 * at it. The reactor builds catalog-service first.
 */
public class CatalogTestResource implements QuarkusTestResourceLifecycleManager {
  /** The operator token the test catalog accepts; the tests' services use the same one. */
  public static final String ADMIN_TOKEN = "test-admin-token-not-for-production-use";

  /** The service token, as the tests' services have it ({@code %test.souq.service-token}). */
  public static final String SERVICE_TOKEN = "test-service-token-not-for-production-use";

  private static final String PROXY = "souq.test.catalog-proxy";

  private ServiceProcess catalog;
  private TcpProxy proxy;

  /** The relay in front of the test catalog: {@code cut()} it to take catalog-service away. */
  public static ProxyControl catalogProxy() {
    String[] ports = System.getProperty(PROXY).split(" ");
    return new ProxyControl(Integer.parseInt(ports[0]), Integer.parseInt(ports[1]));
  }

  @Override
  public Map<String, String> start() {
    TestStack stack = TestStack.get();
    Path jar = Path.of("../catalog-service/target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build catalog-service first");
    }
    try (ServerSocket socket = new ServerSocket(0)) {
      int port = socket.getLocalPort();
      socket.close();
      catalog =
          ServiceProcess.start(
              Component.CATALOG,
              jar,
              port,
              Map.of(
                  "REDIS_URL",
                  stack.redisUrl(),
                  "DATABASE_URL",
                  stack.databaseUrl(),
                  "SOUQ_ADMIN_TOKEN",
                  ADMIN_TOKEN,
                  "SOUQ_SERVICE_TOKEN",
                  SERVICE_TOKEN),
              Path.of("target/catalog-for-tests.log"));
      catalog.awaitReady(Duration.ofSeconds(60));
      proxy = new TcpProxy("127.0.0.1", port);
      System.setProperty(PROXY, proxy.port() + " " + proxy.controlPort());
      return Map.of("quarkus.rest-client.catalog.url", "http://127.0.0.1:" + proxy.port());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
    try {
      if (proxy != null) {
        proxy.close();
      }
    } catch (IOException ignored) {
      // closing anyway
    }
    if (catalog != null) {
      try {
        catalog.stop(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
