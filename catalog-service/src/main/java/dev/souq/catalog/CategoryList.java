package dev.souq.catalog;

import java.util.List;

/** GET /api/products/categories: every category that has a product, in order. */
public record CategoryList(List<String> items) {}
