package dev.souq.catalog;

import java.util.List;

/** One page of GET /api/products. */
public record ProductPage(List<ProductView> items, int page, int size, long total) {}
