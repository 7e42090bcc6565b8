package dev.souq.catalog;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.devstack.Component;
import dev.souq.devstack.ServiceProcess;
import dev.souq.devstack.testing.Ports;
import dev.souq.devstack.testing.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The packaged service refuses to start with a guessable token, and says why. */
class ShortTokenIT {
  @Test
  void aServiceWithATokenShorterThan32CharactersDoesNotStart() throws Exception {
    for (String env : new String[] {"SOUQ_ADMIN_TOKEN", "SOUQ_SERVICE_TOKEN"}) {
      TestStack stack = TestStack.get();
      Path log = Path.of("target/short-token-" + env + ".log");
      Files.deleteIfExists(log);
      ServiceProcess catalog =
          ServiceProcess.start(
              Component.CATALOG,
              Path.of("target/quarkus-app/quarkus-run.jar"),
              Ports.free(),
              Map.of(
                  "REDIS_URL",
                  stack.redisUrl(),
                  "DATABASE_URL",
                  stack.databaseUrl(),
                  env,
                  "change-me"),
              log);
      try {
        IllegalStateException refused =
            assertThrows(
                IllegalStateException.class, () -> catalog.awaitReady(Duration.ofSeconds(60)));
        assertTrue(refused.getMessage().contains("exited"), refused.getMessage());
        String said = Files.readString(log);
        assertTrue(
            said.contains(env + " is 9 characters long; at least 32 are required"),
            refused.getMessage());
      } finally {
        catalog.stop(Duration.ofSeconds(10));
      }
    }
  }
}
