package dev.souq.order.rest;

import dev.souq.order.CartItemInput;
import dev.souq.order.ItemsRequest;
import dev.souq.shared.session.Session;
import dev.souq.shared.session.SessionStore;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The cart, kept in the session. */
@Path("/api/cart")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "cart")
public class CartResource {
  /** The cart as clients see it. */
  public record Cart(List<Session.CartItem> items) {}

  private final Sessions sessions;

  CartResource(Sessions sessions) {
    this.sessions = sessions;
  }

  @GET
  @Operation(summary = "My cart")
  public Uni<Cart> get(@CookieParam(SessionStore.COOKIE) String id) {
    return sessions.require(id).map(s -> new Cart(s.cart() == null ? List.of() : s.cart()));
  }

  @PUT
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Replace my cart (at most 50 lines, quantities 1 to 99)")
  public Uni<Cart> put(
      @CookieParam(SessionStore.COOKIE) String id, @NotNull @Valid ItemsRequest request) {
    List<Session.CartItem> items =
        request.items() == null
            ? List.of()
            : request.items().stream().map(CartItemInput::toCartItem).toList();
    return sessions
        .require(id)
        .chain(session -> sessions.update(session.withCart(items)))
        .map(session -> new Cart(session.cart()));
  }
}
