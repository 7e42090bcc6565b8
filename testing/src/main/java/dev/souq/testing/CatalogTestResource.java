package dev.souq.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points {@code quarkus.rest-client.catalog.url} at the real, packaged catalog-service
 * (order-service takes its prices from it) through its proxy: the {@link TestCatalog} of the test
 * JVM, which every app restart in the module shares. order-service declares catalog-service (type
 * pom), so the reactor packages it first.
 */
public class CatalogTestResource implements QuarkusTestResourceLifecycleManager {

  /** The relay in front of the test catalog: {@code cut()} it to take catalog-service away. */
  public static ProxyControl catalogProxy() {
    return TestCatalog.get().proxy();
  }

  @Override
  public Map<String, String> start() {
    return Map.of("quarkus.rest-client.catalog.url", TestCatalog.get().proxiedUrl());
  }

  @Override
  public void stop() {
    // The catalog lives as long as the test JVM, shared by every app restart in the module.
  }
}
