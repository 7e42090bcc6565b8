package dev.souq.order;

import dev.souq.testing.PackageLayers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** order-service's packages, top to bottom: each uses only those below it (README, Code layout). */
class PackageLayersTest {
  @Test
  void eachPackageUsesOnlyThoseBelowIt() {
    PackageLayers.assertLayers(
        Path.of("src/main/java"),
        "dev.souq.order",
        List.of("rest", "service", "messaging", "client", "repository", "config", ""));
  }
}
