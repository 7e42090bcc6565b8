package dev.souq.notification.live;

import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN from the moment this instance starts draining ({@link Drain}): no new browser is sent to it.
 * SmallRye Health's own "Graceful Shutdown" check turns DOWN in the same phase, whose listeners
 * Quarkus runs one after another: it may come only once the drain is over.
 */
@Readiness
@Singleton
class DrainReadiness implements HealthCheck {
  private final Listeners listeners;

  DrainReadiness(Listeners listeners) {
    this.listeners = listeners;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("live-connections-accepted")
        .status(!listeners.draining())
        .build();
  }
}
