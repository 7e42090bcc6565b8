package dev.souq.catalog.service;

import dev.souq.catalog.CacheInvalidation;
import dev.souq.catalog.Product;
import dev.souq.catalog.ProductInput;
import dev.souq.catalog.ProductView;
import dev.souq.catalog.repository.ProductRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * The product writes, each one transaction that also records the cache invalidation it owes. Kept
 * apart from {@link ProductService} so the invalidation is applied after the commit, not before.
 */
@ApplicationScoped
class ProductWriter {
  /** A committed write: what the client gets, and what the cache is owed. */
  record Written(ProductView view, CacheInvalidation owed) {}

  private final ProductRepository products;
  private final CacheInvalidations invalidations;

  ProductWriter(ProductRepository products, CacheInvalidations invalidations) {
    this.products = products;
    this.invalidations = invalidations;
  }

  @WithTransaction
  Uni<Written> create(ProductInput input) {
    return products
        .bySku(input.sku())
        .chain(
            existing -> {
              if (existing != null) {
                return Uni.createFrom().failure(new DuplicateSkuException(input.sku()));
              }
              Product product = input.applyTo(new Product());
              return products.persistAndFlush(product).chain(() -> written(product));
            });
  }

  /** Null when there is no such product. */
  @WithTransaction
  Uni<Written> update(long id, ProductInput input) {
    // Locked until commit, as a reservation locks it: an edit racing a reservation waits for it
    // rather than fail on the version the reservation moved (409), and keeps the stock it left.
    return products
        .findById(id, LockModeType.PESSIMISTIC_WRITE)
        .chain(
            product -> {
              if (product == null) {
                return Uni.createFrom().nullItem();
              }
              return products
                  .bySku(input.sku())
                  .chain(
                      other -> {
                        if (other != null && !other.id.equals(product.id)) {
                          return Uni.createFrom()
                              .<Written>failure(new DuplicateSkuException(input.sku()));
                        }
                        input.applyTo(product);
                        return products.flush().chain(() -> written(product));
                      });
            });
  }

  /** Null when there is no such product. */
  @WithTransaction
  Uni<Written> delete(long id) {
    return products
        .findById(id)
        .chain(
            product -> {
              if (product == null) {
                return Uni.createFrom().nullItem();
              }
              ProductView gone = ProductView.of(product);
              return products
                  .delete(product)
                  .chain(() -> invalidations.owe(id))
                  .map(owed -> new Written(gone, owed));
            });
  }

  private Uni<Written> written(Product product) {
    return invalidations.owe(product.id).map(owed -> new Written(ProductView.of(product), owed));
  }
}
