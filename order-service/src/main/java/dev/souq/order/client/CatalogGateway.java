package dev.souq.order.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.shared.problem.OutOfStock;
import dev.souq.shared.problem.Problem;
import dev.souq.shared.problem.ProductBusy;
import dev.souq.shared.security.ServiceToken;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Reserves an order's stock at catalog-service, with a timeout, retries and a circuit breaker; the
 * reservation also prices the order. A refusal is the exception saying why; a catalog that cannot
 * answer fails as the call did, its outcome unknown.
 */
@ApplicationScoped
public class CatalogGateway {
  private final StockClient stock;
  private final ObjectMapper json;
  private final String authorization;

  CatalogGateway(@RestClient StockClient stock, ObjectMapper json, ServiceToken token) {
    this.stock = stock;
    this.json = json;
    // Service-to-service calls carry the service token, which the rate limiter does not count:
    // one busy order-service must not spend its shoppers' per-IP budget at the catalog.
    this.authorization = token.authorization();
  }

  /**
   * Reserves {@code quantities} (product id → how many) for the order's placement, all or none, and
   * answers the lines as sold, in the order given: the order's prices. Retried: the catalog holds a
   * placement at most once, so a retry after a lost answer takes nothing more and answers the same
   * lines.
   *
   * @throws OutOfStockException if a line wants more than is left (nothing was reserved)
   * @throws UnorderableLinesException if a product is unknown or the currencies are mixed (nothing
   *     was reserved)
   * @throws PlacementReleasedException if the placement was released first
   */
  // 3 s: in a rush for one product the reservations queue on its row lock (the catalog answers
  // "product busy" after 2 s of waiting in all, StockRows), and a shopper would rather wait than
  // retry.
  @Timeout(value = 3, unit = ChronoUnit.SECONDS)
  @Retry(
      maxRetries = 2,
      delay = 100,
      abortOn = {
        OutOfStockException.class,
        UnorderableLinesException.class,
        PlacementReleasedException.class
      })
  @ExponentialBackoff
  @CircuitBreaker(
      requestVolumeThreshold = 10,
      failureRatio = 0.5,
      delay = 5_000,
      skipOn = {
        OutOfStockException.class,
        UnorderableLinesException.class,
        PlacementReleasedException.class,
        ProductBusyException.class
      })
  public Uni<List<ReservedLine>> reserve(
      UUID placement, long orderId, Map<Long, Integer> quantities) {
    List<StockClient.Reservation.Line> lines =
        quantities.entrySet().stream()
            .map(e -> new StockClient.Reservation.Line(e.getKey(), e.getValue()))
            .toList();
    return stock
        .reserve(placement.toString(), authorization, new StockClient.Reservation(orderId, lines))
        .map(held -> held.lines() == null ? List.<ReservedLine>of() : held.lines())
        .onFailure(WebApplicationException.class)
        .transform(f -> refusal((WebApplicationException) f));
  }

  /**
   * The catalog's 409, 410, 422 and product-busy 503 as what they mean; any other failure stays as
   * it is.
   */
  private Throwable refusal(WebApplicationException failure) {
    Response response = failure.getResponse();
    return switch (response.getStatus()) {
      case 409 -> outOfStock(response.readEntity(String.class), failure);
      case 410 -> new PlacementReleasedException();
      case 422 -> unorderable(response.readEntity(String.class), failure);
      case 503 -> busy(response.readEntity(String.class), failure);
      default -> failure;
    };
  }

  private Throwable busy(String body, WebApplicationException failure) {
    try {
      return ProductBusy.TYPE.equals(json.readValue(body, Problem.class).type())
          ? new ProductBusyException()
          : failure;
    } catch (JsonProcessingException | RuntimeException unreadable) {
      return failure;
    }
  }

  private Throwable unorderable(String body, WebApplicationException failure) {
    try {
      String detail = json.readValue(body, Problem.class).detail();
      return detail == null ? failure : new UnorderableLinesException(detail);
    } catch (JsonProcessingException | RuntimeException unreadable) {
      return failure;
    }
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
