package dev.souq.catalog.repository;

import dev.souq.catalog.Product;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Products in PostgreSQL. */
@ApplicationScoped
@WithSession
public class ProductRepository implements PanacheRepository<Product> {

  /** One page, in a stable order (by id), optionally of one category. */
  public Uni<List<Product>> page(Optional<String> category, int page, int size) {
    var query =
        category.isPresent()
            ? find("category", Sort.by("id"), category.get())
            : findAll(Sort.by("id"));
    return query.page(Page.of(page, size)).list();
  }

  /** How many products there are, optionally in one category. */
  public Uni<Long> total(Optional<String> category) {
    return category.isPresent() ? count("category", category.get()) : count();
  }

  /** Every category that has a product, in order (an index scan of product_category_id). */
  public Uni<List<String>> categories() {
    return getSession()
        .chain(
            session ->
                session
                    .createQuery(
                        "select distinct category from Product order by category", String.class)
                    .getResultList());
  }

  /** The product with this SKU, or null. */
  public Uni<Product> bySku(String sku) {
    return find("sku", sku).firstResult();
  }
}
