package dev.souq.catalog.cache;

/**
 * A list page as PostgreSQL gave it: its JSON, and whether it lists no product (a category the
 * catalog does not have, a page past the end), which the Redis cache keeps only briefly.
 */
public record LoadedPage(String json, boolean empty) {}
