package dev.souq.catalog;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;

/** A product of the catalog. Prices are integer cents. */
@Entity
@Table(name = "product")
public class Product extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  public String sku;
  public String name;
  public String description;

  @Column(name = "price_cents")
  public long priceCents;

  public String currency;
  public String category;
  public int stock;

  @Version public long version;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
