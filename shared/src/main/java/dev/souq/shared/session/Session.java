package dev.souq.shared.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

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
   * Whether this is an account's session rather than a guest's: by its user, which every version of
   * order-service keeps when it rewrites a session (an older one would drop {@code email}).
   */
  public boolean signedIn() {
    return userId != null && userId.startsWith(ACCOUNT_PREFIX);
  }
}
