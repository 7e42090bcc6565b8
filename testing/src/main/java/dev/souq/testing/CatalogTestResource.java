package dev.souq.testing;

import dev.souq.devstack.Component;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs the real, packaged catalog-service beside a module's tests (order-service takes its prices
 * from it), against the same {@link TestStack}, and points {@code quarkus.rest-client.catalog.url}
 * at it. order-service declares catalog-service (type pom), so the reactor packages it first. Its
 * seeded products have plenty of stock ({@link SeededStock}).
 */
public class CatalogTestResource implements QuarkusTestResourceLifecycleManager {
  private static final String PROXY = "souq.test.catalog-proxy";

  private static final Path MODULE = Path.of("../catalog-service");
  private static final Path SHARED = Path.of("../shared"); // inside the packaged catalog too

  private Replicas catalog;
  private TcpProxy proxy;

  /** The relay in front of the test catalog: {@code cut()} it to take catalog-service away. */
  public static ProxyControl catalogProxy() {
    String[] ports = System.getProperty(PROXY).split(" ");
    return new ProxyControl(Integer.parseInt(ports[0]), Integer.parseInt(ports[1]));
  }

  @Override
  public Map<String, String> start() {
    Path jar = MODULE.resolve("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    try {
      requireFresh(jar);
      catalog = new Replicas(Component.CATALOG, jar);
      int port = catalog.start("for-tests", Map.of()).port();
      SeededStock.makePlenty("http://127.0.0.1:" + port);
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
        catalog.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Fails unless the packaged catalog is newer than every source it is built from (its own and the
   * shared library's): a module built alone ({@code -pl order-service}) would otherwise test
   * against whatever jar was left behind.
   */
  private static void requireFresh(Path jar) throws IOException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build catalog-service first");
    }
    FileTime built = Files.getLastModifiedTime(jar);
    for (Path sources : List.of(MODULE.resolve("src/main"), SHARED.resolve("src/main"))) {
      try (Stream<Path> files = Files.walk(sources)) {
        Optional<Path> newer =
            files
                .filter(Files::isRegularFile)
                .filter(source -> modified(source).compareTo(built) > 0)
                .findFirst();
        if (newer.isPresent()) {
          throw new IllegalStateException(
              jar + " is older than " + newer.get() + ": build catalog-service first (-am)");
        }
      }
    }
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
