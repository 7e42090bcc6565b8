package dev.souq.catalog;

import dev.souq.shared.messages.Currencies;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * A product as an operator writes it (POST and PUT). Unknown fields are refused. Without {@code
 * stock} a new product has none and a replaced one keeps what it has: edit a product without
 * touching its stock, and change stock by {@code POST /api/products/{id}/stock}, relative to what
 * is left. Text that shoppers read has no control characters (a description may have tabs and line
 * breaks) and no bidirectional embedding, override or isolate controls, which can make a name
 * display as something else; right- to-left text itself is welcome.
 */
public record ProductInput(
    @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._-]+") String sku,
    @NotBlank
        @Size(max = 200)
        @Pattern(regexp = ProductInput.ONE_LINE, message = ProductInput.NO_CONTROLS)
        String name,
    @Size(max = 4000) @Pattern(regexp = ProductInput.MULTI_LINE, message = ProductInput.NO_CONTROLS)
        String description,
    @NotNull @PositiveOrZero @Max(10_000_000_000L) Long priceCents,
    @NotNull @Pattern(regexp = Currencies.CODE, message = Currencies.NOT_A_CODE) String currency,
    @NotBlank @Size(max = 64) @Pattern(regexp = ProductView.CATEGORY_PATTERN) String category,
    @PositiveOrZero @Max(1_000_000_000) Integer stock) {

  static final String ONE_LINE = "[^\\p{Cc}\\u202A-\\u202E\\u2066-\\u2069]*";
  static final String MULTI_LINE =
      "[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F\\u202A-\\u202E\\u2066-\\u2069]*";
  static final String NO_CONTROLS =
      "must not contain control characters or bidirectional override characters";

  /** Copies the input onto an entity, new or existing. */
  public Product applyTo(Product product) {
    product.sku = sku;
    product.name = name.strip();
    product.description = description == null ? "" : description;
    product.priceCents = priceCents;
    product.currency = currency;
    product.category = category;
    if (stock != null) {
      product.stock = stock;
    }
    product.updatedAt = java.time.Instant.now();
    return product;
  }
}
