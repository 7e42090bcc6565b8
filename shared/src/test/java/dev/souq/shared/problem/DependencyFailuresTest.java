package dev.souq.shared.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VertxException;
import io.vertx.redis.client.impl.types.ErrorType;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class DependencyFailuresTest {

  @Test
  void aRefusedConnectionInsideWrappersIsAnOutage() {
    Throwable wrapped =
        new CompletionException(
            new IllegalStateException(
                "session failed", new ConnectException("Connection refused")));
    assertEquals(Optional.of(DependencyFailures.UNKNOWN), DependencyFailures.unavailable(wrapped));
  }

  @Test
  void vertxReportsOfLostConnectionsAreOutages() {
    assertTrue(DependencyFailures.isUnavailable(new VertxException("Connection was closed", true)));
    assertTrue(DependencyFailures.isUnavailable(new VertxException("Timeout", true)));
    assertFalse(DependencyFailures.isUnavailable(new VertxException("Invalid argument", true)));
  }

  @Test
  void redisClientErrorsOfALostConnectionAreRedisOutagesAndCommandErrorsAreNot() {
    assertEquals(
        Optional.of(DependencyFailures.REDIS),
        DependencyFailures.unavailable(ErrorType.create("CONNECTION_CLOSED")));
    assertEquals(
        Optional.of(DependencyFailures.REDIS),
        DependencyFailures.unavailable(ErrorType.create("LOADING Redis is loading the dataset")));
    assertFalse(DependencyFailures.isUnavailable(ErrorType.create("WRONGTYPE Operation against")));
  }

  /** A Redis at maxmemory or unable to persist refuses writes until an operator acts: 503. */
  @Test
  void aRedisThatRefusesWritesIsAnOutage() {
    assertEquals(
        Optional.of(DependencyFailures.REDIS),
        DependencyFailures.unavailable(
            ErrorType.create("OOM command not allowed when used memory > 'maxmemory'.")));
    assertEquals(
        Optional.of(DependencyFailures.REDIS),
        DependencyFailures.unavailable(
            ErrorType.create("MISCONF Redis is configured to save RDB snapshots, but it's")));
  }

  @Test
  void connectionSqlStatesAreOutagesOfPostgresAndOthersAreNot() {
    assertEquals(
        Optional.of(DependencyFailures.POSTGRESQL),
        DependencyFailures.unavailable(new SQLException("lost", "08006")));
    assertEquals(
        Optional.of(DependencyFailures.POSTGRESQL),
        DependencyFailures.unavailable(new SQLException("shutting down", "57P01")));
    // Class 53, insufficient resources: a full disk, no memory, too many connections; but a limit
    // the query itself exceeded (53400, temp_file_limit) is the query's.
    for (String state : new String[] {"53100", "53200", "53300"}) {
      assertEquals(
          Optional.of(DependencyFailures.POSTGRESQL),
          DependencyFailures.unavailable(new SQLException("resources", state)),
          state);
    }
    assertFalse(DependencyFailures.isUnavailable(new SQLException("temp files", "53400")));
    // A statement past statement_timeout: the database is too slow for now.
    assertEquals(
        Optional.of(DependencyFailures.POSTGRESQL),
        DependencyFailures.unavailable(new SQLException("canceling statement", "57014")));
    // A unique violation or a NUL in text is the request's or the code's fault, never a 503.
    assertFalse(DependencyFailures.isUnavailable(new SQLException("duplicate", "23505")));
    assertFalse(DependencyFailures.isUnavailable(new SQLException("bad byte", "22021")));
  }

  @Test
  void aLockTimeoutIsToldApartFromOtherStates() {
    assertTrue(
        DependencyFailures.lockTimeout(
            new CompletionException(new SQLException("canceling statement", "55P03"))));
    assertFalse(DependencyFailures.lockTimeout(new SQLException("lost", "08006")));
    assertFalse(DependencyFailures.lockTimeout(new TimeoutException("No answer within 2000 ms")));
  }

  @Test
  void timeoutsAndKnownOutagesAreOutages() {
    assertTrue(DependencyFailures.isUnavailable(new TimeoutException("No answer within 2000 ms")));
    assertEquals(
        Optional.of("catalog-service"),
        DependencyFailures.unavailable(
            new CompletionException(
                new DependencyUnavailableException("catalog-service", "The catalog is away"))));
  }

  @Test
  void bugsAreNotOutages() {
    assertFalse(DependencyFailures.isUnavailable(new NullPointerException()));
    assertFalse(
        DependencyFailures.isUnavailable(
            new CompletionException(new IllegalStateException("Cannot encode ProductView"))));
  }

  @Test
  void aCyclicCauseChainEnds() {
    Exception a = new Exception("a");
    Exception b = new Exception("b", a);
    a.initCause(b);
    assertFalse(DependencyFailures.isUnavailable(a));
  }
}
