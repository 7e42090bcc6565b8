package dev.souq.shared.redis;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Tells a pub/sub subscription gone silent from one that is only idle. A connection that only
 * listens sends nothing, so one whose path died quietly (a NAT or balancer that dropped the idle
 * flow, a network gone half-open) never fails: it just hears nothing, for ever. Every {@link
 * #INTERVAL} the probe publishes on a channel of its own, through another connection, which the
 * subscription also listens to; a probe still unheard at the next tick means the subscription is
 * deaf, and its owner is told to subscribe again. Works alike on RESP2 and RESP3 (no command is
 * sent on the subscribed connection) and on Cluster and Sentinel.
 */
public final class SubscriptionProbe {
  /** How often a probe goes out, and how long it may take to come back. */
  public static final Duration INTERVAL = Duration.ofSeconds(5);

  private final String channel;
  private final Vertx vertx;
  private final Function<String, Uni<?>> publish;
  private final AtomicBoolean unheard = new AtomicBoolean();
  private long timer = -1;

  /**
   * A probe on a channel of its own under {@code prefix}; {@code publish} sends a message to a
   * channel through a connection other than the subscription's.
   */
  public SubscriptionProbe(Vertx vertx, String prefix, Function<String, Uni<?>> publish) {
    this.vertx = vertx;
    this.publish = publish;
    this.channel = prefix + ":probe:" + UUID.randomUUID();
  }

  /** The channel the subscription must listen to as well. */
  public String channel() {
    return channel;
  }

  /** Starts probing while {@code subscribed}; {@code deaf} runs when a probe went unheard. */
  public void start(BooleanSupplier subscribed, Runnable deaf) {
    timer =
        vertx.setPeriodic(
            INTERVAL.toMillis(),
            id -> {
              if (!subscribed.getAsBoolean()) {
                unheard.set(false);
              } else if (unheard.getAndSet(true)) {
                unheard.set(false);
                deaf.run();
              } else {
                // A failed publish is heard as nothing: Redis away is a deaf subscription too.
                publish.apply(channel).subscribe().with(ok -> {}, failure -> {});
              }
            });
  }

  /** Whether a probe went out and is not heard yet: at the next tick the subscription is deaf. */
  public boolean owed() {
    return unheard.get();
  }

  /** A message arrived on {@link #channel()}. */
  public void heard() {
    unheard.set(false);
  }

  /** A new subscription: nothing sent before it is owed. */
  public void reset() {
    unheard.set(false);
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
