package dev.souq.order;

import dev.souq.shared.session.Session;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/** One line of a cart or of an order request. */
public record CartItemInput(
    @NotNull @Min(1) Long productId, @NotNull @Min(1) @Max(99) Integer quantity) {

  public Session.CartItem toCartItem() {
    return new Session.CartItem(productId, quantity);
  }
}
