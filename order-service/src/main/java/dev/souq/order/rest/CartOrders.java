package dev.souq.order.rest;

import dev.souq.order.OrderView;
import dev.souq.order.service.OrderService;
import dev.souq.order.service.Uncancellable;
import dev.souq.shared.problem.Problem;
import dev.souq.shared.redis.LuaScript;
import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;

/**
 * Places an order from a session's cart, one at a time per session: a double click, or a retry
 * while the first request still places, must not order the cart twice. The claim ({@code
 * placing:<session>}, SET NX) is taken before the cart is read and given back once the order's
 * lines are out of the cart, so the next placement reads the cart without them. What the shopper
 * added meanwhile (another tab) stays in the cart.
 */
@ApplicationScoped
class CartOrders {
  /**
   * Longer than any placement takes (three reservation attempts behind 2 s row locks); the claim of
   * a placement whose process died lapses after it.
   */
  private static final String CLAIM_TTL_MS = "60000";

  private static final LuaScript RELEASE =
      new LuaScript(
          "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end"
              + " return 0");

  private final ReactiveRedisDataSource redis;
  private final Sessions sessions;
  private final SessionStore store;
  private final OrderService orders;

  CartOrders(
      ReactiveRedisDataSource redis, Sessions sessions, SessionStore store, OrderService orders) {
    this.redis = redis;
    this.sessions = sessions;
    this.store = store;
    this.orders = orders;
  }

  /**
   * Places the cart of the session named by {@code cookie}; 401 without one, 409 while another
   * order of it is being placed. Runs to its end once begun, even if the shopper hangs up, so that
   * the cart always empties with its placement.
   */
  Uni<OrderView> place(String cookie) {
    if (!SessionStore.wellFormed(cookie)) {
      return sessions.require(cookie).replaceWith((OrderView) null);
    }
    String claim = "placing:" + cookie;
    // Its own token: a placement that outlived the claim must not give back the next one's.
    String token = UUID.randomUUID().toString();
    return Uncancellable.of(
        redis
            .execute("SET", claim, token, "NX", "PX", CLAIM_TTL_MS)
            .chain(
                claimed -> {
                  if (claimed == null) {
                    return Uni.createFrom().failure(CartOrders::beingPlaced);
                  }
                  return sessions
                      .require(cookie)
                      .chain(this::placeCart)
                      .eventually(() -> release(claim, token));
                }));
  }

  private Uni<OrderView> placeCart(Session session) {
    List<Session.CartItem> items = session.cart() == null ? List.of() : session.cart();
    return orders.place(session.userId(), items).call(order -> takeOut(session, items, order));
  }

  /**
   * Takes a placed order's lines out of its session's cart, if the session still exists. The order
   * is placed whatever happens here: answered 503, a shopper would place the cart again.
   */
  private Uni<Void> takeOut(Session session, List<Session.CartItem> ordered, OrderView order) {
    return store
        .modify(session.sessionId(), now -> now.less(ordered))
        .invoke(
            emptied -> {
              if (!emptied) {
                Log.warnf(
                    "Order %d placed, its cart not emptied: the session ended or kept changing",
                    order.id());
              }
            })
        .onFailure()
        .invoke(
            failure ->
                Log.warnf(
                    "Order %d placed, its cart not emptied: %s", order.id(), failure.toString()))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  /** Gives the claim back if still its own; one that cannot be (Redis away) lapses by its TTL. */
  private Uni<Void> release(String claim, String token) {
    return RELEASE
        .run(redis, List.of(claim), List.of(token))
        .onFailure()
        .recoverWithNull()
        .replaceWithVoid();
  }

  private static WebApplicationException beingPlaced() {
    return new WebApplicationException(
        Problem.response(
            Response.Status.CONFLICT,
            "An order of this cart is being placed: find it in GET /api/orders"));
  }
}
