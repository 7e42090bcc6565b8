package dev.souq.shared.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class OutagesTest {
  private static final UnavailableConfig CONFIG =
      new UnavailableConfig() {
        @Override
        public Duration retryAfter() {
          return Duration.ofMillis(2500);
        }

        @Override
        public Duration logInterval() {
          return Duration.ofSeconds(10);
        }
      };

  private boolean migrating;
  private final Outages outages = new Outages(CONFIG, () -> migrating);

  @Test
  void anOutageIs503ProblemWithRetryAfterAndNoInternals() {
    Response response = outages.answer(new ConnectException("Connection refused: /10.0.0.7")).get();
    assertEquals(503, response.getStatus());
    assertEquals(Problem.MEDIA_TYPE, response.getMediaType().toString());
    assertEquals("3", response.getHeaderString("Retry-After"));
    Problem problem = (Problem) response.getEntity();
    assertTrue(problem.detail().contains("reference "), problem.detail());
    assertFalse(problem.detail().contains("Connect"), problem.detail());
    assertFalse(problem.detail().contains("10.0.0.7"), problem.detail());
  }

  @Test
  void aBugIsNotAnsweredAsAnOutage() {
    assertTrue(outages.answer(new IllegalArgumentException("bug")).isEmpty());
  }

  @Test
  void aSchemaBehindTheQueryIs503WhileItIsMigratedAndA500After() {
    // What PostgreSQL says when a query runs before the migration that makes its table.
    Throwable early =
        new CompletionException(
            new SQLException("relation \"orders.customer_order\" does not exist", "42P01"));
    migrating = true;
    Response response = outages.answer(early).get();
    assertEquals(503, response.getStatus());
    assertEquals("3", response.getHeaderString("Retry-After"));
    Problem problem = (Problem) response.getEntity();
    assertFalse(problem.detail().contains("customer_order"), problem.detail());
    assertTrue(outages.answer(new SQLException("no column", "42703")).isPresent());
    assertTrue(outages.answer(new SQLException("no function", "42883")).isPresent());
    assertTrue(outages.answer(new SQLException("no schema", "3F000")).isPresent());
    // A half-migrated schema: a NOT NULL the next migration drops, a column not yet retyped.
    SQLException oldConstraint =
        new SQLException("null value in column \"total_cents\" violates not-null", "23502");
    assertTrue(outages.answer(oldConstraint).isPresent());
    assertTrue(outages.answer(new SQLException("type", "42804")).isPresent());
    // Other query errors stay bugs even then, and so does the request's own violation.
    assertTrue(outages.answer(new SQLException("duplicate key", "23505")).isEmpty());
    assertTrue(outages.answer(new SQLException("syntax", "42601")).isEmpty());

    migrating = false;
    assertTrue(outages.answer(early).isEmpty(), "once migrated, a missing table is a bug");
    assertTrue(outages.answer(oldConstraint).isEmpty(), "once migrated, a violation is a bug");
  }

  @Test
  void logsOncePerIntervalAndCountsTheAnswersLeftOut() {
    Outages.Budget budget = new Outages.Budget(0);
    assertEquals(0, budget.take(0, 10));
    assertEquals(-1, budget.take(5, 10));
    assertEquals(-1, budget.take(9, 10));
    assertEquals(2, budget.take(10, 10));
    assertEquals(-1, budget.take(19, 10));
  }
}
