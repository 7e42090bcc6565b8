package dev.souq.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ack.lua sent again after its reply was lost (AckBatcher retries a batch, merged with the acks
 * that came meanwhile): each job counted once. Against the real Redis, on keys of its own.
 */
class AckScriptTest {
  private String redis;
  private String prefix;

  @BeforeEach
  void keys() {
    redis = TestStack.get().redisUrl();
    prefix = "ack-test:" + UUID.randomUUID() + ":";
  }

  @Test
  void aBatchSentAgainAfterItsReplyWasLostCountsItsJobsOnce() {
    String first = job("first");
    String second = job("second");
    RedisCommand.call(redis, "RPUSH", key("processing"), first, second);
    assertEquals(2L, ack(List.of(first, second), List.of("processed:echo", "duplicates")));

    // The lost reply: the same two again, merged with a third acked meanwhile.
    String third = job("third");
    RedisCommand.call(redis, "RPUSH", key("processing"), third);
    ack(List.of(first, second, third), List.of("processed:echo", "duplicates", "processed:echo"));

    assertEquals("2", stat("processed:echo"));
    assertEquals("2", stat("processed"));
    assertEquals("1", stat("duplicates"));
    assertEquals(0L, RedisCommand.call(redis, "LLEN", key("processing")));
  }

  @Test
  void twoCopiesOfOneJobInTheListAreTwoJobs() {
    String copy = job("copy");
    RedisCommand.call(redis, "RPUSH", key("processing"), copy, copy);
    ack(List.of(copy, copy), List.of("processed:echo", "duplicates"));
    assertEquals("1", stat("processed:echo"));
    assertEquals("1", stat("duplicates"));
  }

  private String job(String name) {
    return "{\"id\":\"" + prefix + name + "\",\"type\":\"echo\",\"payload\":{}}";
  }

  private Object ack(List<String> jobs, List<String> fields) {
    List<String> keys = List.of(key("processing"), key("stats"), key("deliveries"));
    List<String> args = new ArrayList<>(List.of("60000", Integer.toString(jobs.size())));
    args.addAll(jobs);
    args.addAll(fields);
    args.addAll(List.of("0", "0"));
    return ScriptCall.eval(redis, "ack", keys, args);
  }

  private String stat(String field) {
    return String.valueOf(RedisCommand.call(redis, "HGET", key("stats"), field));
  }

  private String key(String name) {
    return prefix + name;
  }
}
