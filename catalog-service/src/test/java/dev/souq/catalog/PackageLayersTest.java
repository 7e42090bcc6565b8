package dev.souq.catalog;

import dev.souq.testing.PackageLayers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * catalog-service's packages, top to bottom: each uses only those below it (README, Code layout).
 */
class PackageLayersTest {
  @Test
  void eachPackageUsesOnlyThoseBelowIt() {
    PackageLayers.assertLayers(
        Path.of("src/main/java"),
        "dev.souq.catalog",
        List.of("health", "rest", "messaging", "service", "cache", "repository", "config", ""));
  }
}
