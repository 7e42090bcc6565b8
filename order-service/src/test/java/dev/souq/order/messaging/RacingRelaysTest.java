package dev.souq.order.messaging;

import static dev.souq.order.OrderUpdates.statuses;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.order.OrderUpdates;
import dev.souq.order.Shopper;
import dev.souq.order.config.OrderConfig;
import dev.souq.shared.persistence.DatabaseMigrations;
import dev.souq.shared.persistence.DatabasePoolConfig;
import dev.souq.shared.redis.RedisPipelines;
import dev.souq.testing.CatalogTestResource;
import dev.souq.testing.ProxyControl;
import dev.souq.testing.SouqTestResource;
import dev.souq.testing.TestStack;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

/**
 * Two relays, as two replicas run them, draining one outbox at once: each change reaches the stream
 * and the channel exactly once. The second relay is a relay of its own (its own database connection
 * and meters) beside this service's, both kicked over and over until the outbox is empty; in {@link
 * KickedRelay}, a row per transaction and no poll.
 */
@QuarkusTest
@TestProfile(KickedRelay.class)
@WithTestResource(value = SouqTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = CatalogTestResource.class, scope = TestResourceScope.GLOBAL)
class RacingRelaysTest {
  private static final int ORDERS = 8;
  private static final List<String> MOVES = List.of("PAID", "SHIPPED");
  private static final String LAG = "souq.outbox.lag";

  @Inject OutboxRelay relay;
  @Inject Vertx vertx;
  @Inject @Readiness DatabaseMigrations migrations;
  @Inject RedisPipelines redis;
  @Inject OrderConfig config;
  @Inject ObjectMapper json;
  @Inject MeterRegistry registry;
  @Inject RelaySpans spans;
  @Inject DatabasePoolConfig poolConfig;

  @ConfigProperty(name = "quarkus.datasource.reactive.url")
  String url;

  @ConfigProperty(name = "quarkus.datasource.username")
  Optional<String> user;

  @ConfigProperty(name = "quarkus.datasource.password")
  Optional<String> password;

  @Test
  void twoRelaysDrainingOneBacklogSendEachChangeExactlyOnce() throws Exception {
    OutboxDatabase otherConnection = new OutboxDatabase(vertx, poolConfig, url, user, password);
    SimpleMeterRegistry otherMeters = new SimpleMeterRegistry();
    OutboxRelay other =
        new OutboxRelay(
            otherConnection,
            migrations,
            new OutboxSender(redis, config, json, spans, otherMeters),
            config);
    try (ChannelRecorder channel = ChannelRecorder.subscribe(vertx.getDelegate())) {
      Shopper shopper = Shopper.start();
      List<Long> orders = new ArrayList<>();
      for (int i = 0; i < ORDERS; i++) {
        orders.add(shopper.placeOrder(3, 1));
      }
      OrderUpdates.awaitOutboxDrained();
      long sentHereBefore = sent(registry); // nothing is sent while Redis is cut

      // A backlog: the changes wait in the outbox while Redis is away.
      ProxyControl proxy = TestStack.get().redisProxy();
      proxy.cut();
      try {
        for (String status : MOVES) {
          for (long order : orders) {
            Shopper.changeStatus(order, status).then().statusCode(200);
          }
        }
        assertEquals(ORDERS * MOVES.size(), OrderUpdates.outboxRows());
      } finally {
        proxy.restore();
      }

      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(5))
          .until(
              () -> {
                relay.kick();
                other.kick();
                return OrderUpdates.outboxRows() == 0;
              });
      channel.caughtUp();

      long sentHere = sent(registry) - sentHereBefore;
      long sentThere = sent(otherMeters);
      assertEquals(
          ORDERS * MOVES.size(),
          sentHere + sentThere,
          "rows sent (this relay " + sentHere + ", the other " + sentThere + ")");
      List<String> expected = List.of("PENDING", "PAID", "SHIPPED");
      for (long order : orders) {
        assertEquals(expected, statuses(OrderUpdates.streamed(order)), "streamed, order " + order);
        assertEquals(expected, statuses(channel.of(order)), "published, order " + order);
      }
    } finally {
      otherConnection.stop(new ShutdownEvent());
    }
  }

  /** Rows a relay has sent to Redis: each is timed once, when Redis took its batch. */
  private static long sent(MeterRegistry meters) {
    var timer = meters.find(LAG).timer();
    return timer == null ? 0 : timer.count();
  }
}
