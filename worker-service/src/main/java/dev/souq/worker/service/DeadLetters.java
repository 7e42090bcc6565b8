package dev.souq.worker.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.souq.shared.json.JsonText;
import dev.souq.shared.redis.LuaScript;
import dev.souq.worker.queue.DeadLetter;
import dev.souq.worker.queue.Job;
import dev.souq.worker.queue.JobReader;
import dev.souq.worker.queue.Queues;
import dev.souq.worker.queue.TaskKeys;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The operator's side of tasks:dead: list, retry, delete. A retry queues the job's exact bytes
 * again (an envelope from attempt 0); a job kept only as a prefix cannot be retried.
 */
@Singleton
public class DeadLetters {
  private static final LuaScript FIND = LuaScript.fromClasspath("/lua/dead-find.lua");
  private static final LuaScript TAKE = LuaScript.fromClasspath("/lua/dead-take.lua");

  /** The answer to a retry or delete: the job's id, or why the dead letter was left alone. */
  public record Taken(String jobId, String refusal) {}

  private final ReactiveRedisDataSource redis;
  private final ObjectMapper json;
  private final TaskKeys keys;
  private final Queues queues;
  private final JobReader reader;

  DeadLetters(ReactiveRedisDataSource redis, ObjectMapper json, TaskKeys keys, Queues queues) {
    this.queues = queues;
    this.redis = redis;
    this.json = json;
    this.keys = keys;
    this.reader = new JobReader(json, Integer.MAX_VALUE);
  }

  /** A page of dead letters, newest first, each job cut to a preview. */
  public Uni<DeadLetterPage> page(int offset, int limit) {
    return Uni.combine()
        .all()
        .unis(
            redis.list(String.class).lrange(keys.dead(), offset, offset + limit - 1L),
            redis.list(String.class).llen(keys.dead()))
        .asTuple()
        .map(
            page ->
                new DeadLetterPage(
                    page.getItem1().stream().map(this::decode).map(DeadLetter::preview).toList(),
                    offset,
                    limit,
                    page.getItem2()));
  }

  /** Queues a dead letter's job again from attempt 0; null if there is no such dead letter. */
  public Uni<Taken> retry(String id) {
    return take(id, true);
  }

  /** Drops a dead letter; null if there is none with this id. */
  public Uni<Taken> delete(String id) {
    return take(id, false);
  }

  /** Removes the entry (queuing its job for a retry), only if it is still there. */
  private Uni<Taken> take(String id, boolean retry) {
    return FIND.run(redis, List.of(keys.dead()), List.of(DeadLetter.prefix(id)))
        .chain(
            found -> {
              if (found == null) {
                return Uni.createFrom().nullItem();
              }
              byte[] entry = found.toBytes();
              DeadLetter letter = decode(new String(entry, StandardCharsets.UTF_8));
              String jobId = letter.jobId() == null ? letter.id() : letter.jobId();
              if (retry && letter.jobTruncated()) {
                return Uni.createFrom().item(new Taken(jobId, truncated(letter)));
              }
              Job parsed = reader.read(letter.jobBytes());
              byte[] job = retry ? again(parsed, letter.jobBytes()) : new byte[0];
              String queue = queues.keyOf(parsed.runnable() ? parsed.task().queue() : null);
              return TAKE.runRaw(redis, List.of(keys.dead(), queue), List.of(entry, job))
                  .map(taken -> taken.toInteger() == 1 ? new Taken(jobId, null) : null);
            });
  }

  private static String truncated(DeadLetter letter) {
    return "Dead letter "
        + letter.id()
        + " keeps only the first bytes of its job ("
        + letter.jobSize()
        + " bytes"
        + (letter.jobSha256() == null ? "" : ", SHA-256 " + letter.jobSha256())
        + "), so it cannot be queued again; push the original job again, or delete the dead letter";
  }

  /** The job to queue for a retry: an envelope starts over at attempt 0, anything else as is. */
  private byte[] again(Job job, byte[] raw) {
    if (!job.runnable() || !isEnvelope(raw)) {
      return raw;
    }
    return JsonText.write(json, job.task().fresh()).getBytes(StandardCharsets.UTF_8);
  }

  private boolean isEnvelope(byte[] raw) {
    try {
      JsonNode node = json.readTree(raw);
      return node.has("type") || node.has("payload");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private DeadLetter decode(String entry) {
    try {
      return json.readValue(entry, DeadLetter.class);
    } catch (JsonProcessingException e) {
      // Someone pushed to tasks:dead by hand: show it rather than fail the page.
      return new DeadLetter(
          null,
          "unreadable",
          e.getOriginalMessage(),
          null,
          null,
          0,
          null,
          null,
          null,
          entry,
          null,
          null,
          null,
          false);
    }
  }
}
