package dev.souq.order.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The relay's commits only delete what it has sent, so they need not wait for the disk; the
 * requests' commits (orders, status changes, the outbox rows themselves) keep the server's setting.
 */
@QuarkusTest
@TestProfile(KickedRelay.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class RelayConnectionTest {
  @Inject OutboxDatabase database;
  @Inject Pool requests;

  @Test
  void onlyTheRelaysCommitsSkipTheWaitForTheWal() {
    assertEquals("off client", synchronousCommit(database.batches()));
    // The server's own setting, whatever it is (the embedded test server runs with it off).
    assertNotEquals("client", synchronousCommit(requests).split(" ")[1]);
  }

  /** The connection's setting and where it came from ({@code client}: set by the connection). */
  private static String synchronousCommit(Pool pool) {
    Row row =
        pool.query("SELECT setting, source FROM pg_settings WHERE name = 'synchronous_commit'")
            .execute()
            .await()
            .indefinitely()
            .iterator()
            .next();
    return row.getString(0) + " " + row.getString(1);
  }
}
