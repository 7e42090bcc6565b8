package dev.souq.shared.messages;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * A background job, as producers LPUSH it on {@link #QUEUE} and the worker pops it. Schema: {@code
 * schemas/task.schema.json}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Task(
    String id,
    String type,
    JsonNode payload,
    int attempt,
    Instant enqueuedAt,
    String idempotencyKey) {

  /** The list producers push to (LPUSH) and workers pop from the right. */
  public static final String QUEUE = "tasks";

  /** The type given to a bare JSON object pushed without the envelope (the seed's producers). */
  public static final String DEFAULT_TYPE = "default";

  /** The JSON Schema on the classpath. */
  public static final String SCHEMA = "/schemas/task.schema.json";
}
