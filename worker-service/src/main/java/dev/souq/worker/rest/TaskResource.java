package dev.souq.worker.rest;

import dev.souq.shared.messages.Task;
import dev.souq.shared.problem.Problem;
import dev.souq.shared.security.AdminOnly;
import dev.souq.worker.handler.HandlerRegistry;
import dev.souq.worker.queue.Queues;
import dev.souq.worker.service.DeadLetterPage;
import dev.souq.worker.service.DeadLetters;
import dev.souq.worker.service.TaskQueue;
import dev.souq.worker.service.TaskRequest;
import dev.souq.worker.service.TaskStats;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The job queue for operators: enqueue over HTTP, stats, dead letters. All need the token. */
@Path("/api/tasks")
@Produces(MediaType.APPLICATION_JSON)
@AdminOnly
@SecurityRequirement(name = "admin")
@SecurityScheme(
    securitySchemeName = "admin",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "SOUQ_ADMIN_TOKEN")
@Tag(name = "tasks")
public class TaskResource {
  private static final Pattern DEAD_ID = Pattern.compile("[0-9a-f-]{36}");

  private final TaskQueue queue;
  private final DeadLetters dead;
  private final HandlerRegistry handlers;
  private final Queues queues;

  TaskResource(TaskQueue queue, DeadLetters dead, HandlerRegistry handlers, Queues queues) {
    this.queues = queues;
    this.queue = queue;
    this.dead = dead;
    this.handlers = handlers;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Operation(
      summary =
          "Queue a job now, or after delay_seconds, on queue (default: its type's route); 422 for a"
              + " type no handler runs or a queue that does not exist")
  public Uni<Response> enqueue(@NotNull @Valid TaskRequest request) {
    if (handlers.find(request.type()) == null) {
      return Uni.createFrom()
          .item(
              Problem.unprocessable(
                  "No handler for task type " + request.type() + "; known: " + handlers.types()));
    }
    if (request.queue() != null && !queues.exists(request.queue())) {
      return Uni.createFrom()
          .item(
              Problem.unprocessable("No queue " + request.queue() + "; known: " + queues.names()));
    }
    if (request.payload() != null && !request.payload().isObject()) {
      return Uni.createFrom()
          .item(Problem.response(Response.Status.BAD_REQUEST, "payload must be a JSON object"));
    }
    return queue.enqueue(request).map(TaskResource::accepted);
  }

  private static Response accepted(Task task) {
    return Response.accepted(task).build();
  }

  @GET
  @Path("stats")
  @Operation(summary = "Queue depths, in-flight jobs and counters across all workers")
  public Uni<TaskStats> stats() {
    return queue.stats();
  }

  @GET
  @Path("dead")
  @Operation(summary = "Dead letters, newest first")
  public Uni<DeadLetterPage> dead(
      @QueryParam("offset") @DefaultValue("0") @Min(0) @Max(1_000_000) int offset,
      @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
    return dead.page(offset, limit);
  }

  @POST
  @Path("dead/{id}/retry")
  @Operation(
      summary =
          "Queue a dead letter's job again from attempt 0; 409 if the dead letter keeps only a"
              + " prefix of its job")
  public Uni<Response> retry(@PathParam("id") String id) {
    if (!DEAD_ID.matcher(id).matches()) {
      return Uni.createFrom().item(notFound(id));
    }
    return dead.retry(id)
        .map(
            taken -> {
              if (taken == null) {
                return notFound(id);
              }
              if (taken.refusal() != null) {
                return Problem.response(Response.Status.CONFLICT, taken.refusal());
              }
              return Response.accepted(new Retried(id, taken.jobId())).build();
            });
  }

  @DELETE
  @Path("dead/{id}")
  @Operation(summary = "Drop a dead letter")
  public Uni<Response> delete(@PathParam("id") String id) {
    if (!DEAD_ID.matcher(id).matches()) {
      return Uni.createFrom().item(notFound(id));
    }
    return dead.delete(id)
        .map(taken -> taken == null ? notFound(id) : Response.noContent().build());
  }

  /** The answer to a retry: which dead letter, which job went back on the queue. */
  public record Retried(String deadLetterId, String jobId) {}

  private static Response notFound(String id) {
    return Problem.response(Response.Status.NOT_FOUND, "No dead letter " + id);
  }
}
