package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.shared.messages.OrderUpdate;
import dev.souq.shared.session.Session;
import dev.souq.testing.Management;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/** What the WebSocket and the SSE tests both do, whichever transport the clients use. */
final class Scenarios {
  private Scenarios() {}

  /**
   * Publishes PENDING then PAID for an order of each user, interleaved, and checks that each client
   * got its user's two updates only; returns the offset of {@code alice}'s PAID.
   */
  static String eachGetsTheirOwn(Session alice, LiveClient a, Session bob, LiveClient b) {
    long aliceOrder = Publisher.order();
    long bobOrder = Publisher.order();
    Publisher.publish(bob.userId(), bobOrder, "PENDING");
    Publisher.publish(alice.userId(), aliceOrder, "PENDING");
    Publisher.publish(bob.userId(), bobOrder, "PAID");
    String offset = Publisher.publish(alice.userId(), aliceOrder, "PAID");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> a.updates().size() == 2 && b.updates().size() == 2);
    assertTrue(a.updates().stream().allMatch(u -> u.getString("user_id").equals(alice.userId())));
    assertTrue(b.updates().stream().allMatch(u -> u.getString("user_id").equals(bob.userId())));
    return offset;
  }

  /**
   * Freezes {@code frozen} and publishes 64 KB updates for {@code slow} (more than the socket
   * buffers, then a small send queue) until the server has dropped it ({@code connections} of the
   * user at 0); then a healthy client of {@code fine} still gets its next update.
   */
  static void aFrozenClientIsDroppedAndOthersCarryOn(
      Session slow, LiveClient frozen, LongSupplier connections, Session fine, LiveClient healthy) {
    frozen.stopReading();
    flood(slow, 512, () -> connections.getAsLong() > 0);
    await().atMost(Duration.ofSeconds(30)).until(() -> connections.getAsLong() == 0);
    String after = Publisher.publish(fine.userId(), Publisher.order(), "PAID");
    await().atMost(Duration.ofSeconds(10)).until(() -> healthy.offsets().contains(after));
  }

  /**
   * Publishes 64 KB updates for {@code user} while {@code more} holds, at most {@code max}; then
   * deletes them from the shared stream and the user's own, so no later replay in this Redis reads
   * megabytes.
   */
  static void flood(Session user, int max, BooleanSupplier more) {
    long order = Publisher.order();
    List<String> published = new ArrayList<>();
    try {
      for (int i = 0; i < max && more.getAsBoolean(); i++) {
        published.add(Publisher.publish(user.userId(), order, "PAID", 64 * 1024));
      }
    } finally {
      String redis = TestStack.get().redisUrl();
      RedisCommand.call(redis, "DEL", OrderUpdate.userStream(user.userId()));
      if (!published.isEmpty()) {
        List<String> xdel = new ArrayList<>(List.of("XDEL", OrderUpdate.STREAM));
        xdel.addAll(published);
        RedisCommand.call(redis, xdel.toArray(String[]::new));
      }
    }
  }

  /** souq_ws_slow_clients_dropped_total: connections closed with 4008 so far. */
  static double slowClientsDropped() {
    java.util.regex.Matcher dropped =
        java.util.regex.Pattern.compile("(?m)^souq_ws_slow_clients_dropped_total ([0-9.]+)$")
            .matcher(Management.given().get("/q/metrics").asString());
    return dropped.find() ? Double.parseDouble(dropped.group(1)) : 0;
  }
}
