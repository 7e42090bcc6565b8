package dev.souq.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.devstack.Component;
import dev.souq.shared.config.DatabaseUrl;
import dev.souq.testing.TestStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A database restored from a backup (or recreated) numbers its orders from the start again while
 * Redis keeps the idempotency keys of the jobs that already ran: the new orders must still be paid.
 */
@ExtendWith(RunningSouq.class)
class RecreatedDatabaseIT {
  private static SouqSystem system;

  @BeforeAll
  static void useTheRunningShop(SouqSystem running) {
    system = running;
  }

  @Test
  void anOrderOfARecreatedDatabaseIsPaidThoughAnEarlierOrderHadItsId() throws Exception {
    recreateOrdersSchema();
    long first = placeOrderAndAwaitPaid();
    recreateOrdersSchema();
    long second = placeOrderAndAwaitPaid();
    assertEquals(first, second, "both databases gave their first order the same id");
  }

  /** Stops order-service, drops its schema (orders and migration history) and starts it again. */
  private static void recreateOrdersSchema() throws Exception {
    system.stop(Component.ORDER);
    DatabaseUrl db = DatabaseUrl.parse("DATABASE_URL", TestStack.get().databaseUrl());
    try (Connection sql =
            DriverManager.getConnection(
                db.jdbcUrl(), db.user().orElse("postgres"), db.password().orElse(null));
        Statement statement = sql.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS orders CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("Could not drop the orders schema", e);
    }
    system.start(Component.ORDER);
  }

  private static long placeOrderAndAwaitPaid() {
    return system.placePaidOrder(system.guestSession(), 5);
  }
}
