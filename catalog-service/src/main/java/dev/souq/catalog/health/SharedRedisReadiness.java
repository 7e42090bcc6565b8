package dev.souq.catalog.health;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the shared Redis answers (sessions' and rate budgets' Redis, where the limiter
 * counts). Quarkus' own Redis check is off here, so that readiness never depends on which clients
 * it chooses to ping: a cache Redis of its own ({@code CATALOG_CACHE_REDIS_URL}) that is away only
 * means reads from PostgreSQL ({@code X-Cache: BYPASS}), no reason to take the replica out of
 * service.
 */
@Readiness
@ApplicationScoped
public class SharedRedisReadiness implements AsyncHealthCheck {
  /** The name Quarkus' check has in the other services, so dashboards read one name. */
  static final String NAME = "Redis connection health check";

  private final ReactiveRedisDataSource redis;
  private final Duration timeout;

  SharedRedisReadiness(
      ReactiveRedisDataSource redis,
      @ConfigProperty(name = "quarkus.redis.timeout", defaultValue = "10s") Duration timeout) {
    this.redis = redis;
    this.timeout = timeout;
  }

  @Override
  public Uni<HealthCheckResponse> call() {
    return redis
        .execute("PING")
        .ifNoItem()
        .after(timeout)
        .fail()
        .map(pong -> HealthCheckResponse.named(NAME).up().withData("default", "PONG").build())
        .onFailure()
        .recoverWithItem(
            failure ->
                HealthCheckResponse.named(NAME)
                    .down()
                    .withData("default", String.valueOf(failure.getMessage()))
                    .build());
  }
}
