package dev.souq.catalog;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.devstack.Component;
import dev.souq.devstack.ServiceProcess;
import dev.souq.testing.Replicas;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The packaged service refuses to start with a guessable token, and says why. */
class ShortTokenIT {
  private final Replicas replicas = new Replicas(Component.CATALOG);

  @AfterEach
  void stop() throws InterruptedException {
    replicas.close();
  }

  @Test
  void aServiceWithATokenShorterThan32CharactersDoesNotStart() throws Exception {
    for (String env : new String[] {"SOUQ_ADMIN_TOKEN", "SOUQ_SERVICE_TOKEN"}) {
      ServiceProcess catalog = replicas.launch("short-" + env, Map.of(env, "change-me"));
      IllegalStateException refused =
          assertThrows(
              IllegalStateException.class, () -> catalog.awaitReady(Duration.ofSeconds(60)));
      // The message quotes what this process logged: its exit, and the reason it gave.
      assertTrue(refused.getMessage().contains("exited"), refused.getMessage());
      assertTrue(
          refused.getMessage().contains(env + " is 9 characters long; at least 32 are required"),
          refused.getMessage());
    }
  }
}
