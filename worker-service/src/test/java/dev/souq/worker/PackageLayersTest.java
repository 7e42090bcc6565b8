package dev.souq.worker;

import dev.souq.testing.PackageLayers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * worker-service's packages, top to bottom: each uses only those below it (README, Code layout).
 */
class PackageLayersTest {
  @Test
  void eachPackageUsesOnlyThoseBelowIt() {
    PackageLayers.assertLayers(
        Path.of("src/main/java"),
        "dev.souq.worker",
        List.of(
            "rest",
            "runtime",
            "service",
            "queue",
            "metrics",
            "handlers",
            "client",
            "handler",
            "config"));
  }
}
