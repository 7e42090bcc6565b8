package dev.souq.notification.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * souq_ws_*: deliveries, slow clients dropped, resume outcomes and what replays read, and Redis
 * re-subscriptions.
 */
@Singleton
public class NotificationMetrics {
  private final Counter delivered;
  private final Counter dropped;
  private final Counter resumed;
  private final Counter reload;
  private final Counter tooSoon;
  private final Counter replayed;
  private final Counter reconnects;
  private final Counter rejected;
  private final Timer publishedToFrame;

  NotificationMetrics(MeterRegistry registry) {
    delivered =
        Counter.builder("souq.ws.messages.delivered")
            .description("Messages written to browsers")
            .register(registry);
    dropped =
        Counter.builder("souq.ws.slow.clients.dropped")
            .description("Connections closed because their send queue was full")
            .register(registry);
    resumed =
        Counter.builder("souq.ws.resumes")
            .tag("outcome", "resumed")
            .description("Resume requests")
            .register(registry);
    reload =
        Counter.builder("souq.ws.resumes")
            .tag("outcome", "reload")
            .description("Resume requests")
            .register(registry);
    tooSoon =
        Counter.builder("souq.ws.resumes")
            .tag("outcome", "too_soon")
            .description("Resume requests")
            .register(registry);
    replayed =
        Counter.builder("souq.ws.replay.entries")
            .description("Stream entries replays read from Redis (only the resuming user's)")
            .register(registry);
    reconnects =
        Counter.builder("souq.ws.redis.reconnects")
            .description("Re-subscriptions to order_updates after Redis went away")
            .register(registry);
    rejected =
        Counter.builder("souq.ws.connections.rejected")
            .description(
                "Connections refused before or closed at open: no session, or over a limit")
            .register(registry);
    publishedToFrame =
        Timer.builder("souq.ws.publish.to.frame")
            .description(
                "From an update's publish (its stream id) to its first frame reaching a socket")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
  }

  /**
   * The first frame of a live update, published at {@code publishedMillis} (its stream id: Redis'
   * clock), reached a socket now.
   */
  public void publishedToFrame(long publishedMillis) {
    publishedToFrame.record(
        Math.max(0, System.currentTimeMillis() - publishedMillis), TimeUnit.MILLISECONDS);
  }

  public void delivered() {
    delivered.increment();
  }

  public void dropped() {
    dropped.increment();
  }

  /** A replay ran: complete (resumed) or not (reload), having read {@code entries}. */
  public void resume(boolean complete, int entries) {
    (complete ? resumed : reload).increment();
    replayed.increment(entries);
  }

  /** A resume refused: the connection asked again too soon. */
  public void resumeRefused() {
    tooSoon.increment();
  }

  public void reconnected() {
    reconnects.increment();
  }

  public void rejected() {
    rejected.increment();
  }
}
