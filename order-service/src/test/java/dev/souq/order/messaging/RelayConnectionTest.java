package dev.souq.order.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.testing.SouqTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * The relay's commits only delete what it has sent, so they need not wait for the disk; the
 * requests' commits (orders, status changes, the outbox rows themselves) still do.
 */
@QuarkusTest
@TestProfile(KickedRelay.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
class RelayConnectionTest {
  @Inject OutboxDatabase database;
  @Inject Pool requests;

  @Test
  void onlyTheRelaysCommitsSkipTheWaitForTheWal() {
    assertEquals("off", synchronousCommit(database.batches()));
    assertEquals("on", synchronousCommit(requests));
  }

  private static String synchronousCommit(Pool pool) {
    return pool.query("SHOW synchronous_commit")
        .execute()
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getString(0);
  }
}
