package dev.souq.order.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.order.OrderUpdates;
import dev.souq.order.Shopper;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.SouqTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code order.outbox.replica-acks} on a Redis with no replica (the test Redis): each batch waits
 * its timeout, then goes all the same, counted; the shop does not stop for a missing replica.
 */
@QuarkusTest
@TestProfile(KickedRelay.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class UnreplicatedBatchTest {
  @Inject MeterRegistry registry;

  @Test
  void aBatchNoReplicaTookLeavesTheOutboxAllTheSameAndIsCounted() {
    double before = unreplicated();
    long order = Shopper.start().placeOrder(3, 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                OrderUpdates.statuses(OrderUpdates.streamed(order)).contains("PENDING")
                    && OrderUpdates.outboxRows() == 0);
    assertTrue(unreplicated() > before, "the batch that no replica took was not counted");
  }

  private double unreplicated() {
    var counter = registry.find("souq.outbox.unreplicated").counter();
    return counter == null ? 0 : counter.count();
  }
}
