package dev.souq.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A cache invalidation owed for a committed write: written in the write's own transaction and
 * deleted once Redis has applied it, so a write made while Redis was away is never hidden by an old
 * cached entry afterwards.
 */
@Entity
@Table(name = "cache_invalidation")
public class CacheInvalidation extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "product_id")
  public long productId;

  @Column(name = "created_at")
  public Instant createdAt;
}
