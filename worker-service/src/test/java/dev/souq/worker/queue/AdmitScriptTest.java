package dev.souq.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * admit.lua run again after its reply was lost (Admission retries it): a job the first call held
 * back or paced is 'gone' for the second, instead of being let run while its copy waits to run
 * again. Against the real Redis, each test on keys of its own.
 */
class AdmitScriptTest {
  private static final String TYPE = "admit_test";

  private String redis;
  private String prefix;

  @BeforeEach
  void keys() {
    redis = TestStack.get().redisUrl();
    prefix = "admit-test:" + UUID.randomUUID() + ":";
  }

  @Test
  void aJobPacedByACallWhoseReplyWasLostIsGoneForTheRetry() {
    String first = job(1), second = job(2);
    RedisCommand.call(redis, "RPUSH", key("processing"), first, second);
    // One job a second: the first runs within the second's burst, the next waits its turn.
    assertEquals("run", admit(first, 0, 1));
    assertEquals("paced", admit(second, 0, 1));
    assertEquals("gone", admit(second, 0, 1), "the retry of the lost 'paced'");
    assertEquals(1L, RedisCommand.call(redis, "ZCARD", key("delayed")), "waiting once");
  }

  @Test
  void aJobHeldByACallWhoseReplyWasLostIsGoneForTheRetryEvenOnceASlotFrees() {
    String first = job(1), second = job(2);
    RedisCommand.call(redis, "RPUSH", key("processing"), first, second);
    assertEquals("slot", admit(first, 1, 0));
    assertEquals("held", admit(second, 1, 0));
    // The first finishes (release.lua gives its slot back) before the lost reply is retried.
    RedisCommand.call(redis, "HINCRBY", key("inflight"), TYPE, "-1");
    RedisCommand.call(redis, "DEL", key("slots"));
    assertEquals("gone", admit(second, 1, 0), "the retry of the lost 'held'");
    assertEquals(List.of(second), RedisCommand.list(redis, "LRANGE", key("held"), "0", "-1"));
    assertEquals("0", String.valueOf(RedisCommand.call(redis, "HGET", key("inflight"), TYPE)));
  }

  @Test
  void aJobThatTookASlotKeepsItWhenAskedAgain() {
    String job = job(1);
    RedisCommand.call(redis, "RPUSH", key("processing"), job);
    assertEquals("slot", admit(job, 1, 0));
    assertEquals("slot", admit(job, 1, 0), "the retry of the lost 'slot'");
    assertEquals("1", String.valueOf(RedisCommand.call(redis, "HGET", key("inflight"), TYPE)));
  }

  private String admit(String job, int limit, int rate) {
    List<String> keys =
        Stream.of(
                "processing",
                "paused",
                "inflight",
                "slots",
                "held",
                "delayed",
                "paced",
                "rate",
                "stats")
            .map(this::key)
            .toList();
    List<String> args = List.of(job, TYPE, Integer.toString(limit), Integer.toString(rate), "1");
    return (String) ScriptCall.eval(redis, "admit", keys, args);
  }

  private String key(String name) {
    return prefix + name;
  }

  private String job(int n) {
    return "{\"id\":\"" + prefix + n + "\",\"type\":\"" + TYPE + "\",\"payload\":{}}";
  }
}
