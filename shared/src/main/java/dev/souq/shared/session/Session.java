package dev.souq.shared.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A session as stored in Redis under {@code session:{id}}: who the user is and their cart; {@code
 * email} is the account's for a signed-in session, null for a guest's; {@code userAgent} names the
 * device in the shopper's list of sessions. order-service writes it; notification-service reads it
 * to authenticate live connections.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Session(
    String sessionId,
    String userId,
    Instant createdAt,
    List<CartItem> cart,
    String email,
    String userAgent) {

  /** How an account's user id begins; a guest's begins {@code u_}. */
  public static final String ACCOUNT_PREFIX = "a_";

  /** One cart line. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record CartItem(long productId, int quantity) {}

  /** A guest's session. */
  public Session(String sessionId, String userId, Instant createdAt, List<CartItem> cart) {
    this(sessionId, userId, createdAt, cart, null, null);
  }

  /** The same session with another cart. */
  public Session withCart(List<CartItem> items) {
    return new Session(sessionId, userId, createdAt, List.copyOf(items), email, userAgent);
  }

  /**
   * The same session with {@code ordered} taken out of its cart: each line less the quantity
   * ordered of its product, and gone at none left. What was added since the order's cart was read
   * stays.
   */
  public Session less(List<CartItem> ordered) {
    Map<Long, Integer> left = new LinkedHashMap<>();
    if (cart != null) {
      cart.forEach(item -> left.merge(item.productId(), item.quantity(), Integer::sum));
    }
    ordered.forEach(
        item -> left.computeIfPresent(item.productId(), (id, n) -> n - item.quantity()));
    List<CartItem> remaining = new ArrayList<>();
    left.forEach(
        (product, quantity) -> {
          if (quantity > 0) {
            remaining.add(new CartItem(product, quantity));
          }
        });
    return withCart(remaining);
  }

  /**
   * Whether this is an account's session rather than a guest's: by its user, which every version of
   * order-service keeps when it rewrites a session (an older one would drop {@code email}).
   */
  public boolean signedIn() {
    return userId != null && userId.startsWith(ACCOUNT_PREFIX);
  }
}
