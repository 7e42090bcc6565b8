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

  /**
   * Every category that has a product, each once, in code-point order (whatever the database's
   * collation). One index probe per category on product_category_id (a loose index scan, which
   * PostgreSQL does not do by itself for DISTINCT), not a read of every product.
   */
  public Uni<List<String>> categories() {
    return getSession()
        .chain(
            session ->
                session
                    .createNativeQuery(
                        """
                        WITH RECURSIVE c(category) AS (
                          SELECT min(category) FROM catalog.product
                          UNION ALL
                          SELECT (SELECT min(p.category) FROM catalog.product p
                                  WHERE p.category > c.category)
                          FROM c WHERE c.category IS NOT NULL)
                        SELECT category FROM c WHERE category IS NOT NULL
                        """,
                        String.class)
                    .getResultList())
        .map(found -> found.stream().sorted().toList());
  }

  /** The product with this SKU, or null. */
  public Uni<Product> bySku(String sku) {
    return find("sku", sku).firstResult();
  }
}
