package dev.souq.catalog;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** A product as an operator writes it (POST and PUT). Unknown fields are refused. */
public record ProductInput(
    @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+") String sku,
    @NotBlank @Size(max = 200) String name,
    @Size(max = 4000) String description,
    @NotNull @PositiveOrZero @Max(10_000_000_000L) Long priceCents,
    @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be an ISO 4217 code such as EUR")
        String currency,
    @NotBlank @Size(max = 64) @Pattern(regexp = ProductView.CATEGORY_PATTERN) String category,
    @NotNull @PositiveOrZero @Max(1_000_000_000) Integer stock) {

  /** Copies the input onto an entity, new or existing. */
  public Product applyTo(Product product) {
    product.sku = sku;
    product.name = name.strip();
    product.description = description == null ? "" : description;
    product.priceCents = priceCents;
    product.currency = currency;
    product.category = category;
    product.stock = stock;
    product.updatedAt = java.time.Instant.now();
    return product;
  }
}
