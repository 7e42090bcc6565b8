package dev.souq.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.souq.shared.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Gives the catalog's seeded products (ids 1 to 36) stock that no test run uses up: the tests of
 * ordering, paying and relaying place thousands of orders of them and are not about stock. Tests
 * about stock make products of their own with the stock they need.
 */
public final class SeededStock {
  private static final int SEEDED = 36;
  private static final int PLENTY = 1_000_000_000;

  // One statement in the catalog's schema instead of a read and an update per product. Like the
  // catalog's own stock functions, it owes the cache an invalidation per product it changes.
  private static final String MAKE_PLENTY =
      """
      WITH plenty AS (
          UPDATE catalog.product SET stock = ?, version = version + 1, updated_at = now()
          WHERE id BETWEEN 1 AND ?
          RETURNING id)
      INSERT INTO catalog.cache_invalidation (product_id, created_at)
      SELECT id, clock_timestamp() FROM plenty
      """;

  private static final String SEEDED_IDS =
      IntStream.rangeClosed(1, SEEDED).mapToObj(Integer::toString).collect(Collectors.joining(","));

  private SeededStock() {}

  /**
   * Raises each seeded product that still exists in the {@link TestStack}'s database to plenty of
   * stock, and returns once the catalog at {@code catalogUrl} (started, so its tables exist)
   * answers at least that: its cache relay has applied the invalidations. At least, not exactly: a
   * worker started beside the catalog may at once cancel orders that earlier tests left unpaid in
   * the same database and release their stock onto these products (seen in CI: the shop's worker
   * cancelled 8 such orders a second after this update, and the wait for exactly this figure ran
   * out). A stale cache answers the stock from before the update: the seed's, far below it, or an
   * earlier run's plenty.
   */
  public static void makePlenty(String catalogUrl) {
    DatabaseUrl db = DatabaseUrl.parse("DATABASE_URL", TestStack.get().databaseUrl());
    Properties login = new Properties();
    login.setProperty("user", db.user().orElse("postgres"));
    db.password().ifPresent(password -> login.setProperty("password", password));
    // The driver itself: DriverManager skips a driver that another class loader loaded, and
    // Quarkus gives each test profile a class loader of its own.
    try (Connection connection = new org.postgresql.Driver().connect(db.jdbcUrl(), login);
        PreparedStatement update = connection.prepareStatement(MAKE_PLENTY)) {
      update.setInt(1, PLENTY);
      update.setInt(2, SEEDED);
      update.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Could not give the seeded products plenty of stock", e);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> stocks(catalogUrl).stream().allMatch(stock -> stock >= PLENTY));
  }

  /** The stock of each seeded product that still exists, as the catalog answers it. */
  private static List<Integer> stocks(String catalogUrl) {
    return given()
        .baseUri(catalogUrl)
        .get("/api/products/batch?ids=" + SEEDED_IDS)
        .then()
        .statusCode(200)
        .extract()
        .jsonPath()
        .getList("items.stock", Integer.class);
  }
}
