package dev.souq.order.messaging;

import dev.souq.shared.persistence.DatabasePool;
import dev.souq.shared.persistence.DatabasePoolConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The relay's own connections to the service's database, outside the pool that serves requests: one
 * for its batches (one batch runs at a time), so a batch never waits for, nor holds, a connection a
 * request needs; and one that LISTENs for wake-ups. Also the context that batches a commit starts
 * run on, so that they do not run on the committing request's event loop.
 */
@ApplicationScoped
class OutboxDatabase {
  private final Vertx vertx;
  private final PgConnectOptions options;
  private final DatabasePoolConfig config;
  private final Context context;
  private volatile Pool pool;

  OutboxDatabase(
      Vertx vertx,
      DatabasePoolConfig config,
      @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
    this.vertx = vertx;
    this.config = config;
    // Bounded like the request pool (souq-shared DatabasePool): see batches() and subscriber().
    this.options = PgConnectOptions.fromUri(url);
    user.ifPresent(options::setUser);
    password.ifPresent(options::setPassword);
    // The context of the thread that first uses this bean (start-up's main thread, where
    // OutboxWakeup subscribes; a test's thread), or a new one: in any case no request's.
    this.context = vertx.getDelegate().getOrCreateContext();
  }

  /** The context that batches a commit starts run on. */
  Context context() {
    return context;
  }

  /**
   * One connection, opened on first use and again after it is lost. Its commits do not wait for the
   * WAL to reach disk (synchronous_commit off): a relay transaction only deletes rows it has sent,
   * so a commit lost in a PostgreSQL crash re-sends them, which consumers drop by event_id or
   * idempotency key, as after any crash between send and commit. A change committed meanwhile no
   * longer waits behind the batch's fsync. Silence is bounded as on the request pool: a batch on a
   * connection gone silent would otherwise stop the relay, and every status change, for ~15 min.
   */
  @SuppressWarnings("deprecation") // PgBuilder is the newer way; Quarkus 3.33 itself uses PgPool
  synchronized Pool batches() {
    if (pool == null) {
      pool =
          PgPool.pool(
              vertx,
              DatabasePool.bounded(
                  new PgConnectOptions(options).addProperty("synchronous_commit", "off"), config),
              DatabasePool.bounded(
                  new PoolOptions().setMaxSize(1).setName("outbox-relay"), config));
    }
    return pool;
  }

  /**
   * A subscriber for NOTIFY; it reconnects by itself once it has connected. The connection is
   * closed, and so opened again, once nothing has come from PostgreSQL for the silence bound: its
   * owner sends a query more often than that ({@link #heartbeat()}), whose answer is all a quiet
   * connection hears. A dead one would otherwise go unnoticed for good (nothing waits for an answer
   * on it), and every hand-over wait for the relay's poll.
   */
  PgSubscriber subscriber() {
    return PgSubscriber.subscriber(
        vertx, DatabasePool.listening(new PgConnectOptions(options), config));
  }

  /** How often the subscriber's owner asks on its connection: a third of the silence bound. */
  Duration heartbeat() {
    return config.silenceTimeout().dividedBy(3);
  }

  void stop(@Observes ShutdownEvent event) {
    Pool opened = pool;
    if (opened != null) {
      opened.close().await().atMost(Duration.ofSeconds(2));
    }
  }
}
