package dev.souq.notification.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/** souq_ws_*: deliveries, slow clients dropped, resume outcomes and Redis re-subscriptions. */
@Singleton
public class NotificationMetrics {
  private final Counter delivered;
  private final Counter dropped;
  private final Counter resumed;
  private final Counter reload;
  private final Counter reconnects;
  private final Counter rejected;

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
    reconnects =
        Counter.builder("souq.ws.redis.reconnects")
            .description("Re-subscriptions to order_updates after Redis went away")
            .register(registry);
    rejected =
        Counter.builder("souq.ws.connections.rejected")
            .description("Connections closed at open: no session, or over a connection limit")
            .register(registry);
  }

  public void delivered() {
    delivered.increment();
  }

  public void dropped() {
    dropped.increment();
  }

  public void resume(boolean replayed) {
    (replayed ? resumed : reload).increment();
  }

  public void reconnected() {
    reconnects.increment();
  }

  public void rejected() {
    rejected.increment();
  }
}
