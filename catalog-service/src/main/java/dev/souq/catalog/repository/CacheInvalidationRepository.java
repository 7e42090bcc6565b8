package dev.souq.catalog.repository;

import dev.souq.catalog.CacheInvalidation;
import dev.souq.shared.persistence.PooledQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Cache invalidations owed for committed writes. */
@ApplicationScoped
public class CacheInvalidationRepository implements PanacheRepository<CacheInvalidation> {
  private static final String SETTLE = "DELETE FROM catalog.cache_invalidation WHERE id = ANY($1)";

  private final Pool pool;

  CacheInvalidationRepository(Pool pool) {
    this.pool = pool;
  }

  /** The oldest owed invalidations. */
  @WithSession
  public Uni<List<CacheInvalidation>> oldest(int limit) {
    return findAll(Sort.by("id")).page(Page.ofSize(limit)).list();
  }

  /**
   * Deletes applied invalidations: one statement on the reactive client, its own transaction (a
   * Hibernate session and transaction around it cost the catalog more than the statement itself).
   * Every stock reservation owes one per product; the writes of a few milliseconds share one.
   */
  public Uni<Void> settle(List<Long> ids) {
    return PooledQuery.execute(pool, SETTLE, Tuple.of(ids.toArray(Long[]::new))).replaceWithVoid();
  }
}
