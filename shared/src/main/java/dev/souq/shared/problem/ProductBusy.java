package dev.souq.shared.problem;

import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The catalog's answer when a reservation waited for a product's row lock longer than its
 * lock_timeout: that product is in demand right now (a rush), not the catalog unavailable. 503 with
 * Retry-After like an outage, told apart by its problem type, so that order-service's circuit
 * breaker does not count one rush against every other product.
 */
public final class ProductBusy {
  /** The problem type of this answer. */
  public static final String TYPE = "https://souq.dev/problems/product-busy";

  private ProductBusy() {}

  /** The 503 answer. */
  public static Response response() {
    return Response.fromResponse(
            new Problem(
                    TYPE,
                    "Product busy",
                    Response.Status.SERVICE_UNAVAILABLE.getStatusCode(),
                    "A product of this order is in demand right now; nothing was reserved. Retry"
                        + " shortly.",
                    List.of())
                .toResponse())
        .header("Retry-After", 1)
        .build();
  }
}
