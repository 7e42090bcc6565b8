package dev.souq.worker.rest;

import dev.souq.shared.problem.Problem;
import dev.souq.shared.security.AdminOnly;
import dev.souq.worker.queue.Schedule;
import dev.souq.worker.service.ScheduleView;
import dev.souq.worker.service.Schedules;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The periodic jobs for operators: their ticks and last runs, and a run by hand. Needs the token.
 */
@Path("/api/tasks/schedules")
@Produces(MediaType.APPLICATION_JSON)
@AdminOnly
@SecurityRequirement(name = "admin")
@Tag(name = "tasks")
public class ScheduleResource {
  private final Schedules schedules;

  ScheduleResource(Schedules schedules) {
    this.schedules = schedules;
  }

  @GET
  @Operation(summary = "Every configured schedule: its interval, next tick, last run and outcome")
  public Uni<List<ScheduleView>> list() {
    return schedules.views();
  }

  @POST
  @Path("{name}/run")
  @Operation(
      summary =
          "Queue one job of a schedule now, with an idempotency key of its own; its ticks go on as"
              + " before")
  public Uni<Response> run(@PathParam("name") String name) {
    if (!Schedule.NAME.matcher(name).matches()) {
      return Uni.createFrom().item(notFound("No such schedule"));
    }
    return schedules
        .run(name)
        .map(
            task ->
                task == null ? notFound("No schedule " + name) : Response.accepted(task).build());
  }

  private static Response notFound(String detail) {
    return Problem.response(Response.Status.NOT_FOUND, detail);
  }
}
