package dev.souq.order.rest;

import dev.souq.order.CartItemInput;
import dev.souq.order.ItemsRequest;
import dev.souq.order.JobFateRequest;
import dev.souq.order.OrderStatus;
import dev.souq.order.OrderView;
import dev.souq.order.StatusRequest;
import dev.souq.order.service.OrderService;
import dev.souq.order.service.UnpaidOrders;
import dev.souq.shared.problem.Problem;
import dev.souq.shared.security.ServiceOrAdmin;
import dev.souq.shared.security.Trusted;
import dev.souq.shared.session.SessionStore;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Orders: placed by a session user, seen and (while PENDING) cancelled only by them, moved along by
 * the operator.
 */
@Path("/api/orders")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "orders")
public class OrderResource {
  /** An order id: ASCII digits only (Long.parseLong alone would take any Unicode digit). */
  static final String ID = "{id: [0-9]+}";

  /** The most orders one page of {@code GET /api/orders} holds, and how many it holds unasked. */
  static final int MAX_PAGE = 50;

  private final OrderService orders;
  private final UnpaidOrders unpaid;
  private final Sessions sessions;
  private final CartOrders cartOrders;
  private final Trusted trusted;

  OrderResource(
      OrderService orders,
      UnpaidOrders unpaid,
      Sessions sessions,
      CartOrders cartOrders,
      Trusted trusted) {
    this.orders = orders;
    this.unpaid = unpaid;
    this.sessions = sessions;
    this.cartOrders = cartOrders;
    this.trusted = trusted;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Place an order from the body's items, or from my cart when there are none")
  public Uni<Response> place(
      @CookieParam(SessionStore.COOKIE) String id, @Valid ItemsRequest request) {
    boolean fromCart = request == null || request.items() == null || request.items().isEmpty();
    Uni<OrderView> placed =
        fromCart
            ? cartOrders.place(id)
            : sessions
                .require(id)
                .chain(
                    session ->
                        // Placed to its end even if the shopper hangs up (Checkout).
                        orders.place(
                            session.userId(),
                            request.items().stream().map(CartItemInput::toCartItem).toList()));
    return placed.map(
        order -> Response.created(URI.create("/api/orders/" + order.id())).entity(order).build());
  }

  @GET
  @Operation(summary = "My orders, newest first, a page at a time")
  @APIResponse(
      responseCode = "200",
      description = "[order…]",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(type = SchemaType.ARRAY, implementation = OrderView.class)),
      headers =
          @Header(
              name = "Link",
              description = "rel=\"next\": the next (older) page, while there is one"))
  public Uni<Response> mine(
      @CookieParam(SessionStore.COOKIE) String id,
      @Parameter(description = "only orders older than this one (the Link header's next page)")
          @QueryParam("before")
          @Min(1)
          Long before,
      @QueryParam("limit") @DefaultValue("" + MAX_PAGE) @Min(1) @Max(MAX_PAGE) int limit) {
    return sessions
        .require(id)
        .chain(session -> orders.mine(session.userId(), before, limit))
        .map(page -> page(page, limit));
  }

  /** The page, and a Link to the next one (RFC 8288) while there is one. */
  private static Response page(OrderService.OrderPage page, int limit) {
    Response.ResponseBuilder answer = Response.ok(page.orders());
    if (page.next() != null) {
      answer.link(URI.create("/api/orders?before=" + page.next() + "&limit=" + limit), "next");
    }
    return answer.build();
  }

  @GET
  @Path(OrderResource.ID)
  @Operation(
      summary =
          "One of my orders; another user's order is 404. With the operator or service token: any"
              + " order")
  public Uni<Response> get(
      @CookieParam(SessionStore.COOKIE) String session,
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("id") @Min(1) long id) {
    Uni<OrderView> order =
        trusted.caller(authorization)
            ? orders.get(id)
            : sessions.require(session).chain(s -> orders.get(s.userId(), id));
    return order.map(found -> found == null ? notFound(id) : Response.ok(found).build());
  }

  @POST
  @Path(OrderResource.ID + "/status")
  @ServiceOrAdmin
  @Consumes(MediaType.APPLICATION_JSON)
  @SecurityRequirement(name = "admin")
  @Operation(
      summary =
          "Move an order along the status machine (operator, or worker-service with the service"
              + " token); 409 if not allowed, or if amount_cents and currency (what a payer"
              + " charged) are not the order's total")
  public Uni<Response> changeStatus(
      @PathParam("id") @Min(1) long id, @NotNull @Valid StatusRequest request) {
    return orders
        .changeStatus(
            id, OrderStatus.valueOf(request.status()), request.amount(), request.payment())
        .map(order -> order == null ? notFound(id) : Response.ok(order).build());
  }

  @POST
  @Path(OrderResource.ID + "/jobs")
  @ServiceOrAdmin
  @Consumes(MediaType.APPLICATION_JSON)
  @SecurityRequirement(name = "admin")
  @Operation(
      summary =
          "What became of one of the order's jobs (worker-service: an attempt failed and runs again,"
              + " or the job was given up): a step on the order's timeline and an order_updates"
              + " event with a job field, the status unchanged; 204, or 404 if there is no order")
  public Uni<Response> reportJob(
      @PathParam("id") @Min(1) long id, @NotNull @Valid JobFateRequest request) {
    return orders
        .reportJob(id, request.fate())
        .map(found -> found ? Response.noContent().build() : notFound(id));
  }

  @POST
  @Path("unpaid/cancel")
  @ServiceOrAdmin
  @SecurityRequirement(name = "admin")
  @Operation(
      summary =
          "Cancel orders PENDING for longer than SOUQ_UNPAID_ORDER_TIMEOUT, oldest first, at most"
              + " limit of them (worker-service's cancel_unpaid_orders job); more says whether"
              + " others are left")
  public Uni<UnpaidOrders.Cancelled> cancelUnpaid(
      @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
    return unpaid.cancelOverdue(limit);
  }

  @POST
  @Path(OrderResource.ID + "/cancel")
  @Operation(
      summary =
          "Cancel my order while it is PENDING (sent as JSON, e.g. {}); 409 once it is paid or"
              + " further, 404 if it is not mine")
  public Uni<Response> cancel(
      @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
      @CookieParam(SessionStore.COOKIE) String session,
      @PathParam("id") @Min(1) long id) {
    // Only as JSON: a cross-site form cannot cancel a shopper's order.
    Response refused = JsonOnly.refusal(contentType, "POST /api/orders/{id}/cancel");
    if (refused != null) {
      return Uni.createFrom().item(refused);
    }
    return sessions
        .require(session)
        .chain(s -> orders.cancel(s.userId(), id))
        .map(order -> order == null ? notFound(id) : Response.ok(order).build());
  }

  static Response notFound(long id) {
    return Problem.response(Response.Status.NOT_FOUND, "No order " + id);
  }
}
