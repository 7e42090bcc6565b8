package dev.souq.worker.rest;

import dev.souq.shared.messages.TaskQueues;
import dev.souq.shared.problem.Problem;
import dev.souq.shared.security.AdminOnly;
import dev.souq.worker.service.QueueControls;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The queues for operators: their depths, pause and resume. Needs the token. */
@Path("/api/tasks/queues")
@Produces(MediaType.APPLICATION_JSON)
@AdminOnly
@SecurityRequirement(name = "admin")
@Tag(name = "tasks")
public class QueueResource {
  private final QueueControls controls;

  QueueResource(QueueControls controls) {
    this.controls = controls;
  }

  @GET
  @Operation(
      summary =
          "Every queue (weight, depth, paused) and job type (paused, limit, in flight, held back)")
  public Uni<QueueControls.View> view() {
    return controls.view();
  }

  @POST
  @Path("{name}/pause")
  @Operation(summary = "Stop taking jobs from a queue; they wait untouched. Answers the new view")
  public Uni<Response> pause(@PathParam("name") String name) {
    return set(name, true);
  }

  @POST
  @Path("{name}/resume")
  @Operation(summary = "Take jobs from a paused queue again. Answers the new view")
  public Uni<Response> resume(@PathParam("name") String name) {
    return set(name, false);
  }

  private Uni<Response> set(String name, boolean pause) {
    if (!TaskQueues.NAME.matcher(name).matches()) {
      return Uni.createFrom().item(notFound(name));
    }
    return controls
        .queue(name, pause)
        .chain(
            found ->
                found
                    ? controls.view().map(view -> Response.ok(view).build())
                    : Uni.createFrom().item(notFound(name)));
  }

  private static Response notFound(String name) {
    return Problem.response(Response.Status.NOT_FOUND, "No queue " + name);
  }
}
