package dev.souq.worker.queue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.souq.shared.json.InvalidUtf8Exception;
import dev.souq.shared.json.StrictUtf8;
import dev.souq.shared.messages.Task;
import dev.souq.shared.messages.TaskQueues;
import dev.souq.shared.tracing.TraceParents;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads what producers pushed: the task envelope, or a bare JSON object (the seed's producers),
 * which becomes the payload of a {@code default} job. An object with a {@code type} or {@code
 * payload} field is taken as an envelope. A job is bytes until read: its size is counted in bytes,
 * and it must be strict UTF-8 JSON (no BOM, no duplicate keys, nothing after the document; nesting
 * and string lengths within Jackson's limits). Never throws: whatever cannot run is a rejection.
 */
public final class JobReader {
  /** A task type: what {@code task.schema.json} allows. */
  public static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

  private final ObjectReader json;
  private final int maxBytes;

  public JobReader(ObjectMapper json, int maxBytes) {
    this.json =
        json.reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    this.maxBytes = maxBytes;
  }

  /** The job that {@code raw} is. */
  public Job read(byte[] raw) {
    CutJob cut = CutJob.of(raw);
    if (cut != null) {
      return Job.rejected(
          raw, null, "too_large", "The job has " + cut.size() + " bytes, over " + maxBytes);
    }
    if (raw.length > maxBytes) {
      return Job.rejected(
          raw, null, "too_large", "The job has " + raw.length + " bytes, over " + maxBytes);
    }
    String text;
    try {
      text = StrictUtf8.decode(raw);
    } catch (InvalidUtf8Exception e) {
      return Job.rejected(
          raw, null, "not_utf8", "The job is not valid UTF-8 (byte " + e.offset() + ")");
    }
    if (text.isBlank()) {
      return Job.rejected(raw, null, "not_json", "The job is empty");
    }
    if (text.charAt(0) == '\uFEFF') {
      // RFC 8259 §8.1: JSON on the wire has no byte order mark.
      return Job.rejected(raw, null, "not_json", "The job starts with a byte order mark");
    }
    JsonNode node;
    try {
      node = json.readTree(text);
    } catch (JsonProcessingException e) {
      return Job.rejected(raw, null, "not_json", e.getOriginalMessage());
    } catch (StackOverflowError e) {
      return Job.rejected(raw, null, "not_json", "The job is nested too deeply");
    }
    if (node == null || !node.isObject()) {
      return Job.rejected(raw, null, "not_an_object", "A job must be a JSON object");
    }
    if (!node.has("type") && !node.has("payload")) {
      return Job.valid(
          raw, Task.of(UUID.randomUUID().toString(), Task.DEFAULT_TYPE, node, null, null));
    }
    return envelope(raw, (ObjectNode) node);
  }

  /** The job's text if its bytes are strict UTF-8, else null. */
  public static String textOf(byte[] raw) {
    try {
      return StrictUtf8.decode(raw);
    } catch (InvalidUtf8Exception e) {
      return null;
    }
  }

  private Job envelope(byte[] raw, ObjectNode node) {
    String id = text(node, "id");
    Task partial =
        Task.of(
            id == null ? UUID.randomUUID().toString() : id, text(node, "type"), null, null, null);
    JsonNode type = node.get("type");
    if (type == null || type.isNull() || !type.isTextual() || type.asText().isEmpty()) {
      return Job.rejected(raw, partial, "missing_type", "The envelope has no type");
    }
    if (!TYPE.matcher(type.asText()).matches()) {
      return Job.rejected(raw, partial, "invalid_type", "The type must match " + TYPE.pattern());
    }
    JsonNode payload = node.get("payload");
    if (payload != null && !payload.isNull() && !payload.isObject()) {
      return Job.rejected(raw, partial, "invalid_envelope", "payload must be a JSON object");
    }
    JsonNode attempt = node.get("attempt");
    if (attempt != null
        && !attempt.isNull()
        && !(attempt.canConvertToInt() && attempt.asInt() >= 0)) {
      return Job.rejected(raw, partial, "invalid_envelope", "attempt must be a whole number ≥ 0");
    }
    JsonNode key = node.get("idempotency_key");
    if (key != null && !key.isNull() && !(key.isTextual() && key.asText().length() <= 256)) {
      return Job.rejected(
          raw, partial, "invalid_envelope", "idempotency_key must be a string of ≤ 256 characters");
    }
    if (id != null && id.length() > 128) {
      return Job.rejected(raw, partial, "invalid_envelope", "id must have ≤ 128 characters");
    }
    try {
      return Job.valid(
          raw,
          new Task(
              partial.id(),
              type.asText(),
              payload == null || payload.isNull() ? JsonNodeFactory.instance.objectNode() : payload,
              attempt == null ? 0 : attempt.asInt(),
              // Missing: first seen now, so a retried copy is a complete envelope.
              Optional.ofNullable(instant(node, "enqueued_at")).orElseGet(Instant::now),
              key == null || key.isNull() ? null : key.asText(),
              text(node, "last_error"),
              instant(node, "failed_at"),
              instant(node, "run_at"),
              queue(node),
              // A malformed one is dropped: the job runs, in a trace of its own.
              TraceParents.valid(text(node, "traceparent"))));
    } catch (DateTimeParseException e) {
      return Job.rejected(
          raw, partial, "invalid_envelope", "A time is not ISO-8601: " + e.getParsedString());
    }
  }

  /** The job's queue; a name no queue can have is ignored (the job runs, from the default). */
  private static String queue(JsonNode node) {
    String queue = text(node, "queue");
    return queue != null && TaskQueues.NAME.matcher(queue).matches() ? queue : null;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  private static Instant instant(JsonNode node, String field) {
    String value = text(node, field);
    return value == null ? null : Instant.parse(value);
  }
}
