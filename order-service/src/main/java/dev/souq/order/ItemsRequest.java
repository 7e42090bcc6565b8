package dev.souq.order;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** A body with items: PUT /api/cart, and POST /api/orders (where no items means "my cart"). */
public record ItemsRequest(
    @Size(max = ItemsRequest.MAX_ITEMS) List<@Valid @NotNull CartItemInput> items) {
  /** The most lines a cart or an order may have. */
  public static final int MAX_ITEMS = 50;
}
