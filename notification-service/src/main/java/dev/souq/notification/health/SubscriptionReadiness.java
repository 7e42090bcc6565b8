package dev.souq.notification.health;

import dev.souq.notification.messaging.OrderUpdatesSubscriber;
import dev.souq.shared.messages.OrderUpdate;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the {@code order_updates} subscription is live, so no browser is sent to a
 * replica that cannot deliver to it yet (at start, or while it re-subscribes).
 */
@Readiness
@Singleton
public class SubscriptionReadiness implements HealthCheck {
  private final OrderUpdatesSubscriber subscriber;

  SubscriptionReadiness(OrderUpdatesSubscriber subscriber) {
    this.subscriber = subscriber;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named(OrderUpdate.CHANNEL + "-subscription")
        .status(subscriber.live())
        .build();
  }
}
