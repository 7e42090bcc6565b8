package dev.souq.shared.persistence;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How long a request may wait for PostgreSQL before it is answered 503 ({@code
 * SOUQ_DATABASE_POOL_*}). Vert.x waits 60 s for a TCP connect, 30 s for a pooled connection and for
 * ever for an answer by default, far longer than any client waits.
 */
@ConfigMapping(prefix = "souq.database.pool")
public interface DatabasePoolConfig {
  /** How long opening a connection to PostgreSQL may take (TCP connect). */
  @WithDefault("2s")
  Duration connectTimeout();

  /** How long a request waits for a pooled connection, connect included, before it fails. */
  @WithDefault("3s")
  Duration acquireTimeout();

  /**
   * How long a connection may go with nothing sent or received before it is closed: a statement on
   * a network path gone silent then fails (503) instead of waiting for ever, and its connection
   * leaves the pool. One that hears nothing for twice as long is closed even while statements are
   * still sent on it. See {@link DatabasePool#bounded(io.vertx.pgclient.PgConnectOptions,
   * DatabasePoolConfig)}.
   */
  @WithDefault("10s")
  Duration silenceTimeout();
}
