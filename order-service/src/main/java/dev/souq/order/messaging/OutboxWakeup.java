package dev.souq.order.messaging;

import dev.souq.shared.persistence.DatabaseMigrations;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.Readiness;

/**
 * Wakes the outbox relay when any replica commits to the outbox: a trigger NOTIFYs {@value
 * #CHANNEL} at commit, and every replica LISTENs on a connection of its own ({@link
 * OutboxDatabase}). A change committed on one replica is so sent at once by whichever replica holds
 * the relay's lock, instead of at that replica's next poll. The poll stays as the safety net; after
 * a reconnect the relay runs once for whatever was missed while disconnected.
 */
@ApplicationScoped
class OutboxWakeup {
  static final String CHANNEL = "orders_outbox";
  private static final long RETRY_MILLIS = 1000;

  private final Vertx vertx;
  private final OutboxRelay relay;
  private final DatabaseMigrations migrations;
  private final OutboxDatabase database;
  private volatile PgSubscriber subscriber;
  private volatile boolean stopped;

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
    subscriber.channel(CHANNEL).handler(payload -> relay.kick()).subscribeHandler(this::caughtUp);
    connect();
  }

  /** (Re)subscribed: a commit made while the connection was down sent no wake-up we could hear. */
  private void caughtUp() {
    if (migrations.applied()) {
      relay.kick();
    }
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
    if (subscriber != null) {
      subscriber.close().await().atMost(java.time.Duration.ofSeconds(2));
    }
  }
}
