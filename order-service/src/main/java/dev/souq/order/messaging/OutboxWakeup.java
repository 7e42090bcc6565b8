package dev.souq.order.messaging;

import dev.souq.shared.persistence.DatabaseMigrations;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.health.Readiness;

/**
 * Wakes the outbox relay when another replica hands it rows: that replica's relay found the lock
 * taken and NOTIFYed {@value #CHANNEL} with its name ({@link OutboxRelay}); every replica LISTENs
 * on a connection of its own ({@link OutboxDatabase}). The replica sending so runs once more and
 * sends them at once, instead of at its next poll. The poll stays as the safety net; after a
 * reconnect the relay runs once for whatever was handed over while disconnected.
 */
@ApplicationScoped
class OutboxWakeup {
  static final String CHANNEL = "orders_outbox";
  private static final String LISTEN = "LISTEN \"" + CHANNEL + "\"";
  private static final long RETRY_MILLIS = 1000;

  private final Vertx vertx;
  private final OutboxRelay relay;
  private final DatabaseMigrations migrations;
  private final OutboxDatabase database;
  private volatile PgSubscriber subscriber;
  private volatile boolean stopped;
  private long heartbeat = -1;
  private final AtomicLong subscriptions = new AtomicLong();

  OutboxWakeup(
      Vertx vertx,
      OutboxRelay relay,
      @Readiness DatabaseMigrations migrations,
      OutboxDatabase database) {
    this.vertx = vertx;
    this.relay = relay;
    this.migrations = migrations;
    this.database = database;
  }

  void start(@Observes StartupEvent event) {
    subscriber = database.subscriber().reconnectPolicy(retries -> RETRY_MILLIS);
    subscriber.channel(CHANNEL).handler(this::handedOver).subscribeHandler(this::caughtUp);
    connect();
    heartbeat = vertx.setPeriodic(Math.max(1, database.heartbeat().toMillis()), id -> beat());
  }

  /**
   * A statement on the listening connection: its answer keeps a live connection from being taken
   * for a silent one, which is closed and opened again ({@link OutboxDatabase#subscriber()}). It is
   * the LISTEN again, a no-op for PostgreSQL, so that the connection still shows as what it is in
   * pg_stat_activity.
   */
  private void beat() {
    PgConnection connection = subscriber.closed() ? null : subscriber.actualConnection();
    if (connection != null) {
      connection.query(LISTEN).execute().subscribe().with(ok -> {}, lost -> {});
    }
  }

  /** Another replica's rows; this replica's own hand-overs are for the others. */
  private void handedOver(String from) {
    if (!relay.id().equals(from)) {
      relay.kick();
    }
  }

  /** (Re)subscribed: a hand-over made while the connection was down was not heard. */
  private void caughtUp() {
    if (migrations.applied()) {
      relay.kick();
    }
    subscriptions.incrementAndGet();
  }

  /** How many times it has (re)subscribed and made up for what it may have missed. */
  long subscriptions() {
    return subscriptions.get();
  }

  /** The reconnect policy covers a lost connection; a first connect that fails is retried here. */
  private void connect() {
    subscriber
        .connect()
        .subscribe()
        .with(
            connected -> Log.debugf("Outbox relay listens on %s", CHANNEL),
            failure -> {
              Log.warnf(
                  "Outbox wake-ups unavailable (%s); polling until they are", failure.toString());
              if (!stopped) {
                vertx.setTimer(RETRY_MILLIS, id -> connect());
              }
            });
  }

  void stop(@Observes ShutdownEvent event) {
    stopped = true;
    vertx.cancelTimer(heartbeat);
    if (subscriber != null) {
      subscriber.close().await().atMost(java.time.Duration.ofSeconds(2));
    }
  }
}
