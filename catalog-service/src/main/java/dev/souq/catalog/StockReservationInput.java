package dev.souq.catalog;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/** What order-service reserves for a placement: the order's id and its lines. */
public record StockReservationInput(
    @NotNull @Min(1) Long orderId,
    @NotNull @Size(min = 1, max = 100) List<@Valid @NotNull Line> lines) {

  /** A product and how many of it; an order names each product once. */
  public record Line(
      @NotNull @Min(1) Long productId, @NotNull @Min(1) @Max(1000) Integer quantity) {}

  /** Whether some product appears on two lines. */
  public boolean repeatsAProduct() {
    return lines.stream().map(Line::productId).distinct().count() < lines.size();
  }
}
