package dev.souq.catalog.repository;

import dev.souq.catalog.CacheInvalidation;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Cache invalidations owed for committed writes. */
@ApplicationScoped
@WithSession
public class CacheInvalidationRepository implements PanacheRepository<CacheInvalidation> {

  /** The oldest owed invalidations. */
  public Uni<List<CacheInvalidation>> oldest(int limit) {
    return findAll(Sort.by("id")).page(Page.ofSize(limit)).list();
  }
}
