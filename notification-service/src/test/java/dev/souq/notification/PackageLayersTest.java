package dev.souq.notification;

import dev.souq.testing.PackageLayers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * notification-service's packages, top to bottom: each uses only those below it (README, Code
 * layout).
 */
class PackageLayersTest {
  @Test
  void eachPackageUsesOnlyThoseBelowIt() {
    PackageLayers.assertLayers(
        Path.of("src/main/java"),
        "dev.souq.notification",
        List.of("live", "health", "messaging", "metrics", "config"));
  }
}
