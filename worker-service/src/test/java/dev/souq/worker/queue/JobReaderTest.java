package dev.souq.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.souq.shared.messages.Task;
import dev.souq.testing.SchemaCheck;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobReaderTest {
  private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();
  private final JobReader reader = new JobReader(json, 1000);

  private Job read(String text) {
    return reader.read(text.getBytes(StandardCharsets.UTF_8));
  }

  private String reason(byte[] raw) {
    return reader.read(raw).rejection().reason();
  }

  @Test
  void readsTheEnvelopeAsProducersWriteIt() {
    Job job =
        read(
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
  void aJobCutInRedisIsTooLargeWithItsSizeAndItsDeadLetterKeepsWhatWasCut() {
    // fetch.lua's stand-in of a 5,000,000-byte job whose kept bytes end inside an "é".
    byte[] prefix = "{\"type\":\"é".getBytes(StandardCharsets.UTF_8);
    byte[] split = java.util.Arrays.copyOf(prefix, prefix.length - 1);
    byte[] standIn = concat("\0souq-cut:5000000:".getBytes(StandardCharsets.US_ASCII), split);
    Job job = reader.read(standIn);
    assertEquals("too_large", job.rejection().reason());
    assertEquals("The job has 5000000 bytes, over 1000", job.rejection().detail());

    DeadLetter letter = DeadLetter.of("d", "too_large", "e", null, null, 0, null, "w", standIn, 64);
    assertEquals("{\"type\":\"", letter.job());
    assertEquals(5_000_000L, letter.jobSize());
    assertTrue(letter.jobTruncated());
    assertEquals(null, letter.jobSha256(), "the worker never had the job to digest");

    // Pushed by a producer, not cut: a size no cut would have is garbage like any other.
    assertEquals("not_json", reason("\0souq-cut:3:abcdef".getBytes(StandardCharsets.US_ASCII)));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  @Test
  void aJobCarriesTheTraceOfItsProducerOnlyWhenWellFormed() throws Exception {
    String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    String envelope =
        "{\"id\":\"j1\",\"type\":\"noop\",\"payload\":{},\"attempt\":0,"
            + "\"enqueued_at\":\"2026-11-26T15:04:05Z\",\"traceparent\":\"%s\"}";
    Job traced = read(envelope.formatted(traceparent));
    assertEquals(traceparent, traced.task().traceparent());
    SchemaCheck.assertValid(
        Task.SCHEMA,
        json.copy()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .writeValueAsString(traced.task()));
    // A retry keeps it, so every attempt is in the producer's trace.
    assertEquals(
        traceparent, traced.task().failed("boom", Instant.now(), Instant.now()).traceparent());

    Job garbled = read(envelope.formatted("00-not-a-trace"));
    assertTrue(garbled.runnable(), "a malformed traceparent never stops a job");
    assertEquals(null, garbled.task().traceparent());
  }

  @Test
  void aBareObjectIsTheDefaultJobsPayload() {
    Job job = read("{\"email\":\"a@b.c\"}");
    assertTrue(job.runnable());
    assertEquals(Task.DEFAULT_TYPE, job.task().type());
    assertEquals("a@b.c", job.task().payload().get("email").asText());
  }

  @Test
  void whatCannotRunSaysWhy() {
    assertEquals("not_json", read("{oops").rejection().reason());
    assertEquals("not_an_object", read("42").rejection().reason());
    assertEquals("not_an_object", read("null").rejection().reason());
    assertEquals("missing_type", read("{\"payload\":{}}").rejection().reason());
    assertEquals("missing_type", read("{\"type\":7,\"payload\":{}}").rejection().reason());
    assertEquals("invalid_type", read("{\"type\":\"A\"}").rejection().reason());
    assertEquals(
        "invalid_envelope", read("{\"type\":\"a\",\"attempt\":\"x\"}").rejection().reason());
    assertEquals(
        "invalid_envelope",
        read("{\"type\":\"a\",\"enqueued_at\":\"yesterday\"}").rejection().reason());
    assertEquals("too_large", read("{\"x\":\"" + "y".repeat(1000) + "\"}").rejection().reason());
    assertFalse(read("").runnable());
  }

  @Test
  void aJobIsBytesUntilReadAndMustBeStrictUtf8Json() {
    assertEquals("not_utf8", reason(new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe}));
    // An overlong 'a' and a UTF-16 surrogate encoded in UTF-8 (CESU-8).
    assertEquals("not_utf8", reason(bytes("{\"type\":\"", 0xc1, 0xa1, "\"}")));
    assertEquals("not_utf8", reason(bytes("{\"type\":\"a", 0xed, 0xa0, 0x80, "\"}")));
    assertEquals("not_json", reason(bytes("", 0xef, 0xbb, 0xbf, "{\"type\":\"a\"}")));
    assertEquals("not_json", reason(bytes("{\"type\":\"a\",\"type\":\"b\"}")));
    assertEquals("not_json", reason(bytes("{\"type\":\"a\"}garbage")));
    assertEquals(
        "not_json",
        new JobReader(json, 1 << 20)
            .read(bytes("[".repeat(10_000) + "]".repeat(10_000)))
            .rejection()
            .reason());
    assertEquals("not_json", reason(bytes(" \t\r\n")));
    assertEquals("not_json", reason(new byte[0]));
    // 400 two-byte characters: 800 bytes, under the limit of 1000 bytes only when counted as chars.
    assertTrue(read("{\"x\":\"" + "é".repeat(400) + "\"}").runnable());
    assertEquals("too_large", reason(bytes("{\"x\":\"" + "é".repeat(500) + "\"}")));
  }

  /** Text and raw byte values, concatenated. */
  private static byte[] bytes(Object... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof Integer b) {
        out.write(b);
      } else {
        out.writeBytes(part.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  @Test
  void aRetriedJobStillMatchesTheSchema() throws Exception {
    Task task = read("{\"type\":\"a\",\"payload\":{}}").task();
    Instant now = Instant.now();
    String retried = Jobs.json(task.failed("boom", now, now.plusSeconds(2)));
    SchemaCheck.assertValid(Task.SCHEMA, retried);
    Task again = read(retried).task();
    assertEquals(1, again.attempt());
    assertEquals("boom", again.lastError());
  }
}
