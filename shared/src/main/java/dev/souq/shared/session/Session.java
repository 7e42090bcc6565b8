package dev.souq.shared.session;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/**
 * A guest session as stored in Redis under {@code session:{id}}: who the user is and their cart.
 * order-service writes it; notification-service reads it to authenticate WebSockets.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Session(String sessionId, String userId, Instant createdAt, List<CartItem> cart) {

  /** One cart line. */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record CartItem(long productId, int quantity) {}

  /** The same session with another cart. */
  public Session withCart(List<CartItem> items) {
    return new Session(sessionId, userId, createdAt, List.copyOf(items));
  }
}
