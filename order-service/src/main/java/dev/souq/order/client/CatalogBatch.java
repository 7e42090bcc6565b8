package dev.souq.order.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** catalog-service's answer to a batch lookup: the products it has, and the ids it has not. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CatalogBatch(List<CatalogProduct> items, List<Long> missing) {}
