package dev.souq.order;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One product of an order, with the name and price the catalog had when it was placed. */
@Entity
@Table(name = "order_line")
public class OrderLine extends PanacheEntityBase {
  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  @Column(name = "order_id")
  public long orderId;

  @Column(name = "product_id")
  public long productId;

  public String sku;
  public String name;

  @Column(name = "unit_price_cents")
  public long unitPriceCents;

  public int quantity;
}
