package dev.souq.order.client;

import dev.souq.shared.security.ServiceToken;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Looks up products in catalog-service with a timeout, retries and a circuit breaker. An unknown
 * product is {@link UnknownProductException}; a catalog that cannot answer is {@link
 * CatalogUnavailableException}.
 */
@ApplicationScoped
public class CatalogGateway {
  private final CatalogClient catalog;
  private final String authorization;

  CatalogGateway(@RestClient CatalogClient catalog, ServiceToken token) {
    this.catalog = catalog;
    // Service-to-service calls carry the service token, which the rate limiter does not count:
    // one busy order-service must not spend its shoppers' per-IP budget at the catalog.
    this.authorization = token.authorization();
  }

  /**
   * The products with these ids (distinct, at most 100), by id, in one call; or a failure saying
   * why not: the first unknown id, or the catalog being unavailable.
   */
  @Timeout(value = 2, unit = ChronoUnit.SECONDS)
  @Retry(maxRetries = 2, delay = 100, abortOn = UnknownProductException.class)
  @ExponentialBackoff
  @CircuitBreaker(
      requestVolumeThreshold = 10,
      failureRatio = 0.5,
      delay = 5_000,
      skipOn = UnknownProductException.class)
  public Uni<Map<Long, CatalogProduct>> products(Collection<Long> ids) {
    String list = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    return catalog
        .products(list, authorization)
        .map(
            batch -> {
              Map<Long, CatalogProduct> found = new HashMap<>();
              batch.items().forEach(p -> found.put(p.id(), p));
              for (Long id : ids) {
                if (!found.containsKey(id)) {
                  throw new UnknownProductException(id);
                }
              }
              return found;
            });
  }
}
