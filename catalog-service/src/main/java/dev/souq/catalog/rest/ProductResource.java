package dev.souq.catalog.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.catalog.ProductView;
import dev.souq.catalog.cache.CacheStatus;
import dev.souq.catalog.cache.Cached;
import dev.souq.catalog.service.ProductService;
import dev.souq.shared.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The product API's reads, open to every shopper; each says how it was served in {@code X-Cache}.
 * The operator's writes are {@link ProductAdminResource}'s.
 */
@Path("/api/products")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "products")
public class ProductResource {
  static final String X_CACHE = "X-Cache";
  private static final int MAX_PAGE = 10_000;

  /** The most ids one batch lookup takes (an order has at most 50 lines). */
  static final int MAX_BATCH = 100;

  /** 1 to MAX_BATCH ASCII-digit ids, comma-separated (19 digits: as long as a long gets). */
  private static final String BATCH_IDS = "[0-9]{1,19}(,[0-9]{1,19}){0,99}";

  private static final String BATCH_RULE =
      "must be 1 to " + MAX_BATCH + " comma-separated product ids";

  /** A product id: ASCII digits only (Long.parseLong alone would take any Unicode digit). */
  static final String ID = "{id: [0-9]+}";

  private final ProductService products;
  private final ObjectMapper json;

  ProductResource(ProductService products, ObjectMapper json) {
    this.products = products;
    this.json = json;
  }

  @GET
  @Operation(summary = "One page of products, in id order, optionally of one category")
  @APIResponse(
      responseCode = "200",
      description = "{items, page, size, total}",
      headers =
          @Header(name = X_CACHE, description = "HIT, MISS, BYPASS or STALE (PostgreSQL away)"))
  public Uni<Response> list(
      @QueryParam("page") @DefaultValue("0") @Min(0) @Max(MAX_PAGE) int page,
      @QueryParam("size") @DefaultValue("20") @Min(1) @Max(100) int size,
      @QueryParam("category") @Size(max = 64) @Pattern(regexp = ProductView.CATEGORY_PATTERN)
          String category) {
    return products.page(Optional.ofNullable(category), page, size).map(ProductResource::ok);
  }

  @GET
  @Path("/categories")
  @Operation(summary = "Every category that has a product, in order")
  @APIResponse(
      responseCode = "200",
      description = "{items: [category…]}",
      headers = @Header(name = X_CACHE, description = "HIT, MISS, BYPASS or STALE"))
  public Uni<Response> categories() {
    return products.categories().map(ProductResource::ok);
  }

  @GET
  @Path(ProductResource.ID)
  @Operation(summary = "One product")
  @APIResponse(
      responseCode = "200",
      description = "The product",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = ProductView.class)),
      headers = @Header(name = X_CACHE, description = "HIT, MISS, BYPASS or STALE"))
  @APIResponse(responseCode = "404", description = "No such product")
  public Uni<RestResponse<String>> get(
      @PathParam("id")
          @Parameter(schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"))
          long id) {
    // The hottest read: a typed answer lets RESTEasy fix its writer at build time (a Response's
    // is looked up on every request), and an id without a constraint needs no validation
    // interceptor (0 is simply not found). The two were 7 % of catalog's CPU in `near` mode; a
    // product held in memory skips the Mutiny operators, whose context propagation was 6 %.
    Cached now = products.productNow(id);
    if (now != null) {
      return Uni.createFrom().item(answer(id, now));
    }
    return products.product(id).map(cached -> answer(id, cached));
  }

  private RestResponse<String> answer(long id, Cached cached) {
    return cached.found()
        ? RestResponse.ResponseBuilder.ok(cached.json(), MediaType.APPLICATION_JSON_TYPE)
            .header(X_CACHE, cached.status())
            .build()
        : unknown(id, cached);
  }

  /** The 404 problem as a typed answer: a value, not an exception, so a scan of ids stays cheap. */
  private RestResponse<String> unknown(long id, Cached cached) {
    String body = Problem.of(Response.Status.NOT_FOUND, noSuchProduct(id)).toJson(json);
    return RestResponse.ResponseBuilder.create(RestResponse.Status.NOT_FOUND, body)
        .type(Problem.MEDIA_TYPE)
        .header(X_CACHE, cached.status())
        .build();
  }

  @GET
  @Path("/batch")
  @Operation(
      summary =
          "Several products by id in one call: ids=1,2,3 (at most "
              + MAX_BATCH
              + "); each once, in the order first asked; unknown ids in missing")
  @APIResponse(
      responseCode = "200",
      description = "{items:[product…], missing:[id…]}",
      headers = @Header(name = X_CACHE, description = "How the least cached product was served"))
  @APIResponse(responseCode = "400", description = "ids missing, malformed, 0 or too many")
  public Uni<Response> batch(
      @QueryParam("ids") @NotNull @Pattern(regexp = BATCH_IDS, message = BATCH_RULE) String ids) {
    List<Long> distinct = ProductIds.parse(ids);
    if (distinct == null || distinct.contains(0L)) {
      return Uni.createFrom()
          .item(
              Problem.response(
                  Response.Status.BAD_REQUEST, "Product ids run from 1 to " + Long.MAX_VALUE));
    }
    return products.products(distinct).map(cached -> batchOk(distinct, cached));
  }

  /** The cached documents as they are (not re-encoded), and the ids that have none. */
  private static Response batchOk(List<Long> ids, List<Cached> cached) {
    StringJoiner items = new StringJoiner(",", "{\"items\":[", "]");
    StringJoiner missing = new StringJoiner(",", ",\"missing\":[", "]}");
    CacheStatus least = CacheStatus.HIT;
    for (int i = 0; i < cached.size(); i++) {
      Cached one = cached.get(i);
      if (one.found()) {
        items.add(one.json());
      } else {
        missing.add(Long.toString(ids.get(i)));
      }
      least = one.status().compareTo(least) > 0 ? one.status() : least;
    }
    return Response.ok(items + missing.toString(), MediaType.APPLICATION_JSON)
        .header(X_CACHE, least)
        .build();
  }

  private static Response ok(Cached cached) {
    return Response.ok(cached.json(), MediaType.APPLICATION_JSON)
        .header(X_CACHE, cached.status())
        .build();
  }

  /** The 404 detail of an unknown product, for reads and writes alike. */
  static String noSuchProduct(long id) {
    return "No product with id " + id;
  }
}
