package dev.souq.order.repository;

import dev.souq.order.CustomerOrder;
import dev.souq.order.OrderLine;
import dev.souq.order.OrderStatusChange;
import dev.souq.order.OrderView;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Orders with their lines and timelines. */
@ApplicationScoped
@WithSession
public class OrderRepository implements PanacheRepository<CustomerOrder> {

  /** The user's order as they see it; null if it is not theirs or does not exist. */
  public Uni<OrderView> viewOf(String userId, long id) {
    return find("id = ?1 and userId = ?2", id, userId)
        .firstResult()
        .chain(order -> order == null ? Uni.createFrom().nullItem() : view(order));
  }

  /** Any user's order (operator view); null if there is none. */
  public Uni<OrderView> viewOf(long id) {
    return findById(id).chain(order -> order == null ? Uni.createFrom().nullItem() : view(order));
  }

  /** The user's most recent orders, newest first. */
  public Uni<List<CustomerOrder>> recentOf(String userId, int limit) {
    return find("userId", Sort.by("id").descending(), userId).page(Page.ofSize(limit)).list();
  }

  /** Lines and timeline, one query after the other (one session runs one query at a time). */
  public Uni<OrderView> view(CustomerOrder order) {
    return OrderLine.<OrderLine>list("orderId", Sort.by("id"), order.id)
        .chain(
            lines ->
                OrderStatusChange.<OrderStatusChange>list("orderId", Sort.by("id"), order.id)
                    .map(changes -> OrderView.of(order, lines, changes)));
  }
}
