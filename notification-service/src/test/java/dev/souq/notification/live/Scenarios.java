package dev.souq.notification.live;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.souq.shared.messages.OrderUpdate;
import dev.souq.shared.session.Session;
import dev.souq.testing.Management;
import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import java.time.Duration;
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
    long order = Publisher.order();
    for (int i = 0; i < 512 && connections.getAsLong() > 0; i++) {
      Publisher.publish(slow.userId(), order, "PAID", 64 * 1024);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> connections.getAsLong() == 0);
    // The flood's 64 KB entries would make every later replay in this Redis read megabytes.
    RedisCommand.call(TestStack.get().redisUrl(), "XTRIM", OrderUpdate.STREAM, "MAXLEN", "100");
    String after = Publisher.publish(fine.userId(), Publisher.order(), "PAID");
    await().atMost(Duration.ofSeconds(10)).until(() -> healthy.offsets().contains(after));
  }

  /** souq_ws_slow_clients_dropped_total: connections closed with 4008 so far. */
  static double slowClientsDropped() {
    java.util.regex.Matcher dropped =
        java.util.regex.Pattern.compile("(?m)^souq_ws_slow_clients_dropped_total ([0-9.]+)$")
            .matcher(Management.given().get("/q/metrics").asString());
    return dropped.find() ? Double.parseDouble(dropped.group(1)) : 0;
  }
}
