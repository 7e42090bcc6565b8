package dev.souq.order.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** order-service settings. */
@ConfigMapping(prefix = "order")
public interface OrderConfig {
  /** The outbox relay. */
  Outbox outbox();

  /** Outbox settings. */
  interface Outbox {
    /**
     * How often every replica looks for messages left behind (a crash, a Redis outage); commits
     * wake the relay at once, so this only bounds the catch-up. The relay's schedule reads it.
     */
    @WithDefault("500ms")
    Duration poll();

    /** Messages sent per transaction. */
    @WithDefault("200")
    int batch();

    /** Approximate cap of order_updates:stream (XADD MAXLEN ~). */
    @WithDefault("10000")
    long streamMaxLength();
  }
}
