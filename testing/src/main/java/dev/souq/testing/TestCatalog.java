package dev.souq.testing;

import dev.souq.devstack.Component;
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
 * The real, packaged catalog-service a module's tests share, against the {@link TestStack}, started
 * at most once per test JVM behind a {@link TcpProxy} and stopped when the JVM exits. A catalog
 * start costs seconds, and every test profile restarts the app under test: one catalog serves them
 * all. Tests stay independent: the seeded products have stock no run uses up ({@link SeededStock}),
 * and a test about stock makes products of its own.
 */
public final class TestCatalog {
  // As in TestStack: each test profile has a class loader of its own, so the one catalog is
  // remembered in a JVM-wide system property (its port, its proxy's port and control port).
  private static final String KEY = "souq.test.catalog";

  private static final Path MODULE = Path.of("../catalog-service");
  private static final Path SHARED = Path.of("../shared"); // inside the packaged catalog too

  private final int port;
  private final ProxyControl proxy;

  private TestCatalog(String state) {
    String[] parts = state.split(" ");
    this.port = Integer.parseInt(parts[0]);
    this.proxy = new ProxyControl(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
  }

  /** The catalog of this JVM, started on first use. */
  public static TestCatalog get() {
    synchronized (System.getProperties()) {
      String state = System.getProperty(KEY);
      if (state == null) {
        try {
          state = start();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        System.setProperty(KEY, state);
      }
      return new TestCatalog(state);
    }
  }

  private static String start() throws IOException, InterruptedException {
    Path jar = MODULE.resolve("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    requireFresh(jar);
    Replicas catalog = new Replicas(Component.CATALOG, jar);
    try {
      int port = catalog.start("for-tests", Map.of()).port();
      SeededStock.makePlenty("http://127.0.0.1:" + port);
      TcpProxy proxy = new TcpProxy("127.0.0.1", port);
      stopOnExit(catalog, proxy);
      return port + " " + proxy.port() + " " + proxy.controlPort();
    } catch (Throwable e) {
      // Errors too (a seeding assertion): a catalog left running would outlive this JVM.
      catalog.close();
      throw e;
    }
  }

  /** Where the catalog answers, for a test's own calls. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Where the service under test reaches the catalog: through the proxy. */
  public String proxiedUrl() {
    return "http://127.0.0.1:" + proxy.port();
  }

  /** The relay in front of the catalog: {@code cut()} it to take catalog-service away. */
  public ProxyControl proxy() {
    return proxy;
  }

  private static void stopOnExit(Replicas catalog, TcpProxy proxy) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    proxy.close();
                    catalog.close();
                  } catch (IOException ignored) {
                    // the JVM is going away anyway
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
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
