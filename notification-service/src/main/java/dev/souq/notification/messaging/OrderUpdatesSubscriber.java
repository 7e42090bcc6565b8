package dev.souq.notification.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.notification.config.NotificationConfig;
import dev.souq.notification.metrics.NotificationMetrics;
import dev.souq.shared.messages.OrderUpdate;
import dev.souq.shared.redis.RetryDelay;
import dev.souq.shared.redis.SubscriptionProbe;
import dev.souq.shared.session.SessionEnded;
import dev.souq.shared.session.SessionStore;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * This replica's one subscription to {@code order_updates}, routed to its own connections (every
 * replica gets every event: no consumer group). Before it first subscribes it notes the stream's
 * last offset ({@link StreamId#ZERO} when the stream is empty); after every (re-)subscribe it reads
 * {@code order_updates:stream} from the last offset it saw, so nothing published after start is
 * lost to live delivery, even if the subscription breaks before the first event. Live events that
 * arrive during that read wait, and nothing at or before the last offset is routed twice. Until the
 * subscription is live the replica is not ready ({@link #live()}). Each time it goes live it fires
 * {@link SubscriptionLive}: session ends announced while it was down are not replayed.
 *
 * <p>Lock order: this object's monitor, then a connection's (its {@code Sequence}'s). {@link
 * #route} and {@link #routeHeld} deliver while holding this monitor, so events reach each
 * connection in offset order; a connection's monitor is never held while calling back in here.
 */
@Singleton
public class OrderUpdatesSubscriber {
  /** A catch-up reads at most the capped stream, 500 entries a call: far under this. */
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(10);

  /** How far ahead of this host's clock an offset may be: far beyond what NTP leaves. */
  private static final long FUTURE_MS = TimeUnit.MINUTES.toMillis(1);

  private final Redis redis;
  private final OrderStream stream;
  private final OrderEventSink listeners;
  private final NotificationMetrics metrics;
  private final NotificationConfig config;
  private final ObjectMapper json;
  private final Vertx vertx;
  private final Event<SubscriptionLive> wentLive;
  private RedisConnection connection;
  private StreamId lastSeen;
  private List<OrderEvent> waiting;
  private final RetryDelay retry;
  private boolean stopped;
  private boolean live;
  private final SubscriptionProbe probe;
  private long lastFutureWarning = System.nanoTime() - TimeUnit.MINUTES.toNanos(2);

  OrderUpdatesSubscriber(
      Redis redis,
      OrderStream stream,
      OrderEventSink listeners,
      NotificationMetrics metrics,
      NotificationConfig config,
      ObjectMapper json,
      Vertx vertx,
      Event<SubscriptionLive> wentLive) {
    this.redis = redis;
    this.stream = stream;
    this.listeners = listeners;
    this.metrics = metrics;
    this.config = config;
    this.json = json;
    this.vertx = vertx;
    this.wentLive = wentLive;
    this.retry =
        new RetryDelay("Subscription to " + OrderUpdate.CHANNEL, config.reconnectMaxBackoff());
    this.probe =
        new SubscriptionProbe(
            vertx,
            OrderUpdate.CHANNEL,
            channel -> redis.send(Request.cmd(Command.PUBLISH).arg(channel).arg("1")));
  }

  void start(@Observes StartupEvent event) {
    probe.start(this::live, this::deaf);
    connect();
  }

  synchronized void stop(@Observes ShutdownEvent event) {
    stopped = true;
    probe.stop();
    if (connection != null) {
      connection.close().subscribe().with(ok -> {}, failure -> {});
    }
  }

  /** Whether events reach this replica's connections now: the subscription is up and caught up. */
  public synchronized boolean live() {
    return live;
  }

  /**
   * Live, and no probe owed: a subscription that went silent during an outage stays live until its
   * next probe tick finds it deaf, after the outage is over (what a test waits out between tests).
   */
  public synchronized boolean hearing() {
    return live && !probe.owed();
  }

  private void connect() {
    Uni<Void> origin =
        noted()
            ? Uni.createFrom().voidItem()
            : noteOrigin().ifNoItem().after(CATCH_UP_TIMEOUT).fail();
    origin.chain(redis::connect).subscribe().with(this::subscribe, this::retry);
  }

  private synchronized boolean noted() {
    return lastSeen != null;
  }

  /** The first time only: everything after the stream's current end is this replica's to route. */
  private Uni<Void> noteOrigin() {
    return stream
        .last()
        .invoke(last -> startFrom(last == null ? StreamId.ZERO : last))
        .replaceWithVoid();
  }

  private void subscribe(RedisConnection opened) {
    synchronized (this) {
      if (stopped) {
        opened.close().subscribe().with(ok -> {}, failure -> {});
        return;
      }
      connection = opened;
      waiting = new ArrayList<>();
    }
    opened.handler(this::received);
    opened.exceptionHandler(failure -> lost(opened, failure));
    opened.endHandler(() -> lost(opened, null));
    opened
        .send(
            Request.cmd(Command.SUBSCRIBE)
                .arg(OrderUpdate.CHANNEL)
                .arg(SessionStore.ENDED_CHANNEL)
                .arg(probe.channel()))
        .chain(() -> catchUp(opened))
        // Live updates wait in `waiting` until the catch-up ends: one whose reply never comes
        // would stop every delivery on this replica, so it counts as a lost connection.
        .ifNoItem()
        .after(CATCH_UP_TIMEOUT)
        .fail()
        .subscribe()
        .with(caughtUp -> retry.succeeded(), failure -> lost(opened, failure));
  }

  /** Reads what the stream holds after the last offset seen, then goes live on {@code opened}. */
  private Uni<Void> catchUp(RedisConnection opened) {
    StreamId since;
    synchronized (this) {
      since = lastSeen;
    }
    if (since.equals(StreamId.ZERO)) {
      // The stream was empty at start and nothing was routed since: all of it is new.
      return stream.after(since, this::route).replaceWithVoid().invoke(() -> goLive(opened));
    }
    return stream
        .first()
        .chain(
            first -> {
              if (first == null || since.compareTo(first) < 0) {
                // More was published during the outage than the stream keeps.
                Log.warnf(
                    "Events since %s were trimmed from %s: asking browsers to reload",
                    since, OrderUpdate.STREAM);
                // Live from the stream's end first: an update published after it reaches the
                // browsers even if it lands before their re-fetch, which then shows it too.
                return stream
                    .last()
                    .invoke(this::startFrom)
                    .invoke(listeners::reloadAll)
                    .replaceWithVoid();
              }
              return stream.after(since, this::route).replaceWithVoid();
            })
        .invoke(() -> goLive(opened));
  }

  private synchronized void startFrom(StreamId last) {
    if (last != null && last.after(lastSeen)) {
      lastSeen = last;
    }
  }

  /**
   * Routes what arrived during the catch-up, then all as it comes; unless {@code opened} was lost
   * meanwhile (the catch-up reads through other connections and may outlive it): its successor's
   * catch-up goes live, and this one would route ahead of what that has not read yet.
   */
  private void goLive(RedisConnection opened) {
    if (!routeHeld(opened)) {
      return;
    }
    // Outside the monitor (its observers look at every connection's session), and never failing
    // the catch-up: that would take down a subscription already live.
    try {
      wentLive.fire(new SubscriptionLive());
    } catch (RuntimeException e) {
      Log.warnf(e, "An observer of %s's going live failed", OrderUpdate.CHANNEL);
    }
  }

  /** Live on {@code opened}, what waited routed; false if {@code opened} is no longer current. */
  private synchronized boolean routeHeld(RedisConnection opened) {
    if (connection != opened) {
      return false;
    }
    List<OrderEvent> held = waiting;
    waiting = null;
    probe.reset();
    live = true;
    if (held != null) {
      held.forEach(this::route);
    }
    return true;
  }

  private void received(Response message) {
    if (message == null || message.size() < 3 || !"message".equals(message.get(0).toString())) {
      return;
    }
    String channel = message.get(1).toString();
    if (SessionStore.ENDED_CHANNEL.equals(channel)) {
      ended(message.get(2).toString());
      return;
    }
    if (probe.channel().equals(channel)) {
      probe.heard();
      return;
    }
    OrderEvent event = OrderEvent.live(json, message.get(2).toBytes());
    if (event == null) {
      Log.debugf("Skipped a message on %s that is not an order update", OrderUpdate.CHANNEL);
      return;
    }
    synchronized (this) {
      if (waiting != null) {
        waiting.add(event);
        return;
      }
    }
    route(event);
  }

  /** A session's end, announced by whoever ended it: its connections here end now. */
  private void ended(String text) {
    try {
      SessionEnded ended = json.readValue(text, SessionEnded.class);
      if (ended.userId() != null && ended.sessionId() != null) {
        listeners.sessionEnded(ended.userId(), ended.sessionId());
      }
    } catch (Exception e) {
      Log.debugf("Skipped a message on %s that is not a session's end", SessionStore.ENDED_CHANNEL);
    }
  }

  /**
   * Routes an event unless it is at or before the last offset seen (a repeat), or its offset is
   * from the future: Redis gives ids from its clock, and one further ahead of this host's than any
   * skew (a message PUBLISHed by hand or by a broken producer) would become the last offset seen
   * and hide every real update after it until that time came.
   */
  private synchronized void route(OrderEvent event) {
    // Unsigned: an id's 19 digits may exceed a long's range.
    if (Long.compareUnsigned(event.offset().millis(), System.currentTimeMillis() + FUTURE_MS) > 0) {
      long now = System.nanoTime();
      if (now - lastFutureWarning > TimeUnit.MINUTES.toNanos(1)) {
        lastFutureWarning = now;
        Log.warnf(
            "Skipped an order update on %s whose offset %s is ahead of this host's clock",
            OrderUpdate.CHANNEL, event.offset());
      }
      return;
    }
    if (event.offset().after(lastSeen)) {
      lastSeen = event.offset();
      listeners.deliver(event);
    }
  }

  /**
   * The subscription heard nothing, not even its own probe: a connection gone silent without
   * failing, which would leave this replica ready and its browsers without updates for ever.
   */
  private void deaf() {
    RedisConnection current;
    synchronized (this) {
      current = connection;
    }
    if (current != null) {
      Log.warnf(
          "Subscription to %s heard nothing for %s: subscribing again",
          OrderUpdate.CHANNEL, SubscriptionProbe.INTERVAL);
      lost(current, new TimeoutException("the subscription went silent"));
    }
  }

  private void lost(RedisConnection lostConnection, Throwable failure) {
    synchronized (this) {
      if (lostConnection != connection || stopped) {
        return;
      }
      connection = null;
      live = false;
    }
    lostConnection.close().subscribe().with(ok -> {}, ignored -> {});
    metrics.reconnected();
    retry(failure == null ? new IllegalStateException("connection closed") : failure);
  }

  private void retry(Throwable failure) {
    synchronized (this) {
      if (stopped) {
        return;
      }
    }
    vertx.setTimer(retry.failed(failure), id -> connect());
  }
}
