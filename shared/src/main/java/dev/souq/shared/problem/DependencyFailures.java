package dev.souq.shared.problem;

import java.lang.reflect.Method;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Tells "a server we depend on is unreachable or too slow" apart from a bug, whatever wrapping the
 * failure arrives in (CompletionException, HibernateException, a Vert.x exception). Classes are
 * matched by name so that services without a database or a fault-tolerance library can use it.
 */
public final class DependencyFailures {
  /** The name logged when the failure does not say which server it came from. */
  public static final String UNKNOWN = "a dependency";

  static final String POSTGRESQL = "PostgreSQL";
  static final String REDIS = "Redis";

  private static final int MAX_DEPTH = 16;

  /**
   * What PostgreSQL says of a schema older than the query: no such schema, table, column or
   * function, a column of another type (42804), or a NOT NULL a later migration drops (23502). Not
   * the other constraints: a unique or foreign-key violation is the request's, schema or not.
   */
  private static final Set<String> OLDER_SCHEMA_STATES =
      Set.of("3F000", "42P01", "42703", "42883", "42804", "23502");

  private static final Set<String> UNAVAILABLE_CLASSES =
      Set.of(
          "io.vertx.sqlclient.ClosedConnectionException",
          "io.vertx.core.http.ConnectionPoolTooBusyException",
          "io.vertx.core.impl.NoStackTraceTimeoutException",
          "io.netty.channel.ConnectTimeoutException",
          "io.smallrye.faulttolerance.api.RateLimitException");

  /** Simple names of timeouts and fault-tolerance rejections, whichever library raised them. */
  private static final Set<String> UNAVAILABLE_SIMPLE_NAMES =
      Set.of(
          "TimeoutException",
          "SocketTimeoutException",
          "CircuitBreakerOpenException",
          "BulkheadException",
          "QueryTimeoutException",
          "ConnectionPoolTooBusyException");

  /** Vert.x reports lost connections as a bare VertxException; these messages say so. */
  private static final String[] VERTX_MESSAGES = {
    "connection refused",
    "connection closed",
    "connection was closed",
    "connection reset",
    "closed",
    "timeout",
    "timed out",
    "cannot connect",
    "failed to connect",
    "pool closed",
    "max wait queue"
  };

  /**
   * Redis replies that mean "not now" rather than "wrong command"; OOM (at maxmemory under
   * noeviction) and MISCONF (snapshots failing) refuse writes until an operator acts.
   */
  private static final String[] REDIS_REPLIES = {
    "LOADING",
    "MASTERDOWN",
    "CLUSTERDOWN",
    "TRYAGAIN",
    "BUSY ",
    "READONLY",
    "NOREPLICAS",
    "OOM ",
    "MISCONF "
  };

  private DependencyFailures() {}

  /** The server that is away, if {@code failure} is an outage; empty for anything else. */
  public static Optional<String> unavailable(Throwable failure) {
    boolean outage = false;
    String dependency = null;
    for (Throwable t : causes(failure)) {
      if (t instanceof DependencyUnavailableException known) {
        return Optional.of(known.dependency());
      }
      outage |= isOutage(t);
      if (dependency == null) {
        dependency = dependencyOf(t);
      }
    }
    if (!outage) {
      return Optional.empty();
    }
    return Optional.of(dependency != null ? dependency : UNKNOWN);
  }

  /**
   * Whether {@code failure} is PostgreSQL refusing a query that a newer schema would take ({@link
   * #OLDER_SCHEMA_STATES}): a bug once the migrations have run, the database not being ready before
   * ({@link SchemaState}).
   */
  public static boolean schemaBehind(Throwable failure) {
    return anySqlState(failure, OLDER_SCHEMA_STATES::contains);
  }

  /**
   * Whether {@code failure} is PostgreSQL giving up waiting for a row lock (55P03, lock_timeout):
   * the rows are wanted by others right now, the database itself is fine.
   */
  public static boolean lockTimeout(Throwable failure) {
    return anySqlState(failure, "55P03"::equals);
  }

  /** Whether {@code failure} or one of its causes carries a SQLSTATE that {@code wanted} takes. */
  private static boolean anySqlState(Throwable failure, Predicate<String> wanted) {
    for (Throwable t : causes(failure)) {
      String state = sqlState(t);
      if (state != null && wanted.test(state)) {
        return true;
      }
    }
    return false;
  }

  /** {@code failure} and its causes, outermost first: at most MAX_DEPTH, each once (cycles). */
  private static List<Throwable> causes(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && chain.size() < MAX_DEPTH && seen.add(t); ) {
      chain.add(t);
      t = t.getCause();
    }
    return chain;
  }

  /** Whether the request should be answered 503 rather than 500. */
  public static boolean isUnavailable(Throwable failure) {
    return unavailable(failure).isPresent();
  }

  private static boolean isOutage(Throwable t) {
    String name = t.getClass().getName();
    if (t instanceof SocketException // ConnectException, NoRouteToHost, "Connection reset"
        || t instanceof UnknownHostException
        || t instanceof ClosedChannelException
        || UNAVAILABLE_CLASSES.contains(name)
        || UNAVAILABLE_SIMPLE_NAMES.contains(t.getClass().getSimpleName())) {
      return true;
    }
    String state = sqlState(t);
    if (state != null) {
      return unavailableSqlState(state);
    }
    String message = t.getMessage() == null ? "" : t.getMessage();
    boolean redis = name.startsWith("io.vertx.redis.");
    if (redis) {
      for (String reply : REDIS_REPLIES) {
        if (message.startsWith(reply.strip())) {
          return true;
        }
      }
    }
    // The Redis client fails pending commands with a stackless "CONNECTION_CLOSED" ErrorType.
    if (redis
        || name.equals("io.vertx.core.VertxException")
        || name.startsWith("io.vertx.core.impl.NoStackTrace")) {
      String lower = message.toLowerCase(Locale.ROOT);
      for (String known : VERTX_MESSAGES) {
        if (lower.contains(known)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * SQLSTATE class 08 (connection exception), 57P01-57P03 (the server is shutting down or cannot
   * connect now) and 53100, 53200, 53300 (a full disk, no memory, too many connections; not 53400,
   * a limit the query itself exceeded): the database is away, not the query wrong; 55P03 (a
   * lock_timeout passed): the rows are busy for now; and 57014 (a statement_timeout passed, or an
   * operator cancelled it): the database is too slow for now (souq-shared DatabasePool).
   */
  static boolean unavailableSqlState(String state) {
    return state.startsWith("08")
        || state.equals("53100")
        || state.equals("53200")
        || state.equals("53300")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03")
        || state.equals("55P03")
        || state.equals("57014");
  }

  /** PgException's getSqlState(), JDBC's getSQLState(): read without a compile-time dependency. */
  private static String sqlState(Throwable t) {
    for (String accessor : new String[] {"getSqlState", "getSQLState"}) {
      try {
        Method method = t.getClass().getMethod(accessor);
        if (method.getReturnType() == String.class && method.getParameterCount() == 0) {
          return (String) method.invoke(t);
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        // not an exception that carries a SQLSTATE
      }
    }
    return null;
  }

  private static String dependencyOf(Throwable t) {
    String byClass = dependencyOf(t.getClass().getName());
    if (byClass != null) {
      return byClass;
    }
    // A bare ConnectException names no server; the code that raised it does.
    for (StackTraceElement frame : t.getStackTrace()) {
      String byFrame = dependencyOf(frame.getClassName());
      if (byFrame != null) {
        return byFrame;
      }
    }
    return null;
  }

  private static String dependencyOf(String className) {
    if (className.startsWith("io.vertx.pgclient.")
        || className.startsWith("io.vertx.sqlclient.")
        || className.startsWith("org.hibernate.")
        || className.startsWith("io.quarkus.hibernate.")
        || className.startsWith("io.quarkus.reactive.datasource.")
        || className.startsWith("java.sql.")) {
      return POSTGRESQL;
    }
    if (className.startsWith("io.vertx.redis.") || className.startsWith("io.quarkus.redis.")) {
      return REDIS;
    }
    return null;
  }
}
