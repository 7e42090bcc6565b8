package dev.souq.order.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.shared.problem.OutOfStock;
import dev.souq.shared.security.ServiceToken;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
  private final StockClient stock;
  private final ObjectMapper json;
  private final String authorization;

  CatalogGateway(
      @RestClient CatalogClient catalog,
      @RestClient StockClient stock,
      ObjectMapper json,
      ServiceToken token) {
    this.catalog = catalog;
    this.stock = stock;
    this.json = json;
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

  /**
   * Reserves {@code quantities} (product id → how many) for the order's placement, all or none.
   * Retried like a lookup: the catalog holds a placement at most once, so a retry after a lost
   * answer takes nothing more.
   *
   * @throws OutOfStockException if a line wants more than is left (nothing was reserved)
   * @throws PlacementReleasedException if the placement was released first
   */
  // Longer than a lookup's: in a rush for one product the reservations queue on its row lock
  // (for at most the catalog's lock_timeout, 2 s), and a shopper would rather wait than retry.
  @Timeout(value = 3, unit = ChronoUnit.SECONDS)
  @Retry(
      maxRetries = 2,
      delay = 100,
      abortOn = {OutOfStockException.class, PlacementReleasedException.class})
  @ExponentialBackoff
  @CircuitBreaker(
      requestVolumeThreshold = 10,
      failureRatio = 0.5,
      delay = 5_000,
      skipOn = {OutOfStockException.class, PlacementReleasedException.class})
  public Uni<Void> reserve(UUID placement, long orderId, Map<Long, Integer> quantities) {
    List<StockClient.Reservation.Line> lines =
        quantities.entrySet().stream()
            .map(e -> new StockClient.Reservation.Line(e.getKey(), e.getValue()))
            .toList();
    return stock
        .reserve(placement.toString(), authorization, new StockClient.Reservation(orderId, lines))
        .onFailure(WebApplicationException.class)
        .transform(f -> refusal((WebApplicationException) f));
  }

  /** The catalog's 409 and 410 as what they mean; any other failure stays as it is. */
  private Throwable refusal(WebApplicationException failure) {
    Response response = failure.getResponse();
    return switch (response.getStatus()) {
      case 409 -> outOfStock(response.readEntity(String.class), failure);
      case 410 -> new PlacementReleasedException();
      default -> failure;
    };
  }

  private Throwable outOfStock(String body, WebApplicationException failure) {
    try {
      OutOfStock problem = json.readValue(body, OutOfStock.class);
      return new OutOfStockException(problem.productId(), problem.available());
    } catch (JsonProcessingException | RuntimeException unreadable) {
      // Not the catalog's out-of-stock problem: the outcome is unknown, as for any failure.
      return failure;
    }
  }
}
