package dev.souq.catalog.rest;

import dev.souq.catalog.ProductInput;
import dev.souq.catalog.StockAdjustment;
import dev.souq.catalog.service.ProductService;
import dev.souq.shared.problem.Problem;
import dev.souq.shared.security.AdminOnly;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The operator's writes to the product API, each behind the admin token; the shoppers' reads are
 * {@link ProductResource}'s, on the same paths.
 */
@Path("/api/products")
@Produces(MediaType.APPLICATION_JSON)
@AdminOnly
@SecurityRequirement(name = "admin")
@Tag(name = "products")
@SecurityScheme(
    securitySchemeName = "admin",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "SOUQ_ADMIN_TOKEN")
public class ProductAdminResource {
  private final ProductService products;

  ProductAdminResource(ProductService products) {
    this.products = products;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Create a product (operator)")
  @APIResponse(responseCode = "201", description = "Created")
  @APIResponse(responseCode = "409", description = "The SKU is taken")
  public Uni<Response> create(@NotNull @Valid ProductInput input) {
    return products
        .create(input)
        .map(
            view ->
                Response.created(URI.create("/api/products/" + view.id())).entity(view).build());
  }

  @PUT
  @Path(ProductResource.ID)
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(summary = "Replace a product (operator)")
  public Uni<Response> update(
      @PathParam("id") @Min(1) long id, @NotNull @Valid ProductInput input) {
    return products
        .update(id, input)
        .map(view -> view == null ? notFound(id) : Response.ok(view).build());
  }

  @POST
  @Path(ProductResource.ID + "/stock")
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "Add to a product's stock, or take away with a negative delta, atomically with"
              + " reservations (operator)")
  @APIResponse(responseCode = "200", description = "The product with its new stock")
  @APIResponse(
      responseCode = "409",
      description = "Less than none would be left: available says what is left")
  public Uni<Response> adjustStock(
      @PathParam("id") @Min(1) long id, @NotNull @Valid StockAdjustment adjustment) {
    return products
        .adjustStock(id, adjustment.delta())
        .map(view -> view == null ? notFound(id) : Response.ok(view).build());
  }

  @DELETE
  @Path(ProductResource.ID)
  @Operation(summary = "Delete a product (operator)")
  @APIResponse(responseCode = "204", description = "Deleted")
  public Uni<Response> delete(@PathParam("id") @Min(1) long id) {
    return products
        .delete(id)
        .map(deleted -> deleted ? Response.noContent().build() : notFound(id));
  }

  private static Response notFound(long id) {
    return Problem.response(Response.Status.NOT_FOUND, ProductResource.noSuchProduct(id));
  }
}
