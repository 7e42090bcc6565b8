-- Invalidations owed to the cache for committed writes (see CacheInvalidation.java).
CREATE TABLE cache_invalidation (
    id         BIGSERIAL   PRIMARY KEY,
    product_id BIGINT      NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
