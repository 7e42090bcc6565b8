package dev.souq.order.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** What order-service needs of a catalog product: its name and price at the time of ordering. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CatalogProduct(long id, String sku, String name, long priceCents, String currency) {}
