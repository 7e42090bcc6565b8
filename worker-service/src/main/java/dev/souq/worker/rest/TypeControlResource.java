package dev.souq.worker.rest;

import dev.souq.shared.problem.Problem;
import dev.souq.shared.security.AdminOnly;
import dev.souq.worker.handler.HandlerRegistry;
import dev.souq.worker.queue.JobReader;
import dev.souq.worker.service.QueueControls;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Pause and resume one job type across all replicas. Needs the token. */
@Path("/api/tasks/types")
@Produces(MediaType.APPLICATION_JSON)
@AdminOnly
@SecurityRequirement(name = "admin")
@Tag(name = "tasks")
public class TypeControlResource {
  private final QueueControls controls;
  private final HandlerRegistry handlers;

  TypeControlResource(QueueControls controls, HandlerRegistry handlers) {
    this.controls = controls;
    this.handlers = handlers;
  }

  @POST
  @Path("{type}/pause")
  @Operation(
      summary =
          "Hold back a type's jobs as they are fetched, attempts untouched; those running finish."
              + " Answers the new view")
  public Uni<Response> pause(@PathParam("type") String type) {
    return set(type, true);
  }

  @POST
  @Path("{type}/resume")
  @Operation(summary = "Run a paused type again; its held jobs go back to their queues")
  public Uni<Response> resume(@PathParam("type") String type) {
    return set(type, false);
  }

  private Uni<Response> set(String type, boolean pause) {
    // Any type may be resumed (a replica that no longer runs it must not keep it paused).
    if (!JobReader.TYPE.matcher(type).matches() || (pause && handlers.find(type) == null)) {
      return Uni.createFrom()
          .item(Problem.response(Response.Status.NOT_FOUND, "No handler for type " + type));
    }
    return controls.type(type, pause).chain(controls::view).map(view -> Response.ok(view).build());
  }
}
