package dev.souq.order.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A line the catalog holds for an order: the product as sold when its stock was taken (the order's
 * price is this one, never the client's) and how many of it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReservedLine(
    long productId, String sku, String name, long priceCents, String currency, int quantity) {}
