package dev.souq.order;

import dev.souq.shared.config.DatabaseUrl;
import dev.souq.testing.TestStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A JDBC connection to the real PostgreSQL, not through the service's outage proxy nor out of its
 * pool (whose connections a silence of 10 s closes): for a test that reads behind the service's
 * back, or holds a lock for as long as it needs.
 */
public final class RealDatabase {
  private RealDatabase() {}

  /** A new connection; the caller closes it. */
  public static Connection connect() throws SQLException {
    DatabaseUrl db = DatabaseUrl.parse("DATABASE_URL", TestStack.get().databaseUrl());
    return DriverManager.getConnection(
        db.jdbcUrl(), db.user().orElse("postgres"), db.password().orElse(null));
  }
}
