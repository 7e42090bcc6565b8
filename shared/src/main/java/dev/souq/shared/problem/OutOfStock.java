package dev.souq.shared.problem;

import jakarta.ws.rs.core.Response;

/**
 * 409: an order wants more of a product than is left. A problem detail (RFC 9457) with two
 * extension members, so a client can show the shopper which line to change and to what: catalog-
 * service answers it to order-service, and order-service passes it on to the shopper.
 */
public record OutOfStock(
    String type, String title, int status, String detail, long productId, int available) {

  /** The problem for {@code productId}, of which {@code available} are left (0 if it is gone). */
  public static OutOfStock of(long productId, int available) {
    int left = Math.max(available, 0);
    return new OutOfStock(
        "about:blank",
        "Conflict",
        409,
        "Not enough stock for product " + productId + ": " + left + " left",
        productId,
        left);
  }

  /** The HTTP response carrying this problem. */
  public Response toResponse() {
    return Response.status(status).type(Problem.MEDIA_TYPE).entity(this).build();
  }
}
