package dev.souq.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.devstack.testing.SchemaCheck;
import dev.souq.shared.messages.Task;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobReaderTest {
  private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
  private final JobReader reader = new JobReader(json, 1000);

  @Test
  void readsTheEnvelopeAsProducersWriteIt() {
    Job job =
        reader.read(
            "{\"id\":\"j1\",\"type\":\"send_order_confirmation\",\"payload\":{\"order_id\":42},"
                + "\"attempt\":2,\"enqueued_at\":\"2026-11-26T15:04:05Z\",\"idempotency_key\":\"k\",\"extra\":1}");
    assertTrue(job.runnable());
    Task task = job.task();
    assertEquals("j1", task.id());
    assertEquals("send_order_confirmation", task.type());
    assertEquals(42, task.payload().get("order_id").asInt());
    assertEquals(2, task.attempt());
    assertEquals(Instant.parse("2026-11-26T15:04:05Z"), task.enqueuedAt());
    assertEquals("k", task.idempotencyKey());
  }

  @Test
  void aBareObjectIsTheDefaultJobsPayload() {
    Job job = reader.read("{\"email\":\"a@b.c\"}");
    assertTrue(job.runnable());
    assertEquals(Task.DEFAULT_TYPE, job.task().type());
    assertEquals("a@b.c", job.task().payload().get("email").asText());
  }

  @Test
  void whatCannotRunSaysWhy() {
    assertEquals("not_json", reader.read("{oops").rejection().reason());
    assertEquals("not_an_object", reader.read("42").rejection().reason());
    assertEquals("not_an_object", reader.read("null").rejection().reason());
    assertEquals("missing_type", reader.read("{\"payload\":{}}").rejection().reason());
    assertEquals("missing_type", reader.read("{\"type\":7,\"payload\":{}}").rejection().reason());
    assertEquals("invalid_type", reader.read("{\"type\":\"A\"}").rejection().reason());
    assertEquals(
        "invalid_envelope", reader.read("{\"type\":\"a\",\"attempt\":\"x\"}").rejection().reason());
    assertEquals(
        "invalid_envelope",
        reader.read("{\"type\":\"a\",\"enqueued_at\":\"yesterday\"}").rejection().reason());
    assertEquals(
        "too_large", reader.read("{\"x\":\"" + "y".repeat(1000) + "\"}").rejection().reason());
    assertFalse(reader.read("").runnable());
  }

  @Test
  void aRetriedJobStillMatchesTheSchema() throws Exception {
    Task task = reader.read("{\"type\":\"a\",\"payload\":{}}").task();
    Instant now = Instant.now();
    String retried = Jobs.json(task.failed("boom", now, now.plusSeconds(2)));
    SchemaCheck.assertValid(Task.SCHEMA, retried);
    Task again = reader.read(retried).task();
    assertEquals(1, again.attempt());
    assertEquals("boom", again.lastError());
  }
}
