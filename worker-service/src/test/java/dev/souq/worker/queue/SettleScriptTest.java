package dev.souq.worker.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.souq.testing.RedisCommand;
import dev.souq.testing.TestStack;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * settle.lua run again after its reply was lost (Settlement retries it until Redis answers): the
 * job is buried or scheduled once and counted once. Against the real Redis, on keys of its own.
 */
class SettleScriptTest {
  private String redis;
  private String prefix;
  private String job;

  @BeforeEach
  void keys() {
    redis = TestStack.get().redisUrl();
    prefix = "settle-test:" + UUID.randomUUID() + ":";
    job = "{\"id\":\"" + prefix + "job\",\"type\":\"settle_test\",\"payload\":{}}";
  }

  @Test
  void aJobBuriedTwiceIsOneDeadLetterCountedOnce() {
    RedisCommand.call(redis, "RPUSH", key("processing"), job);
    assertEquals(1L, settle("bury", key("dead"), "100", "1"));
    assertEquals(0L, settle("bury", key("dead"), "100", "1"), "the retry of the lost reply");
    assertEquals(List.of("letter"), RedisCommand.list(redis, "LRANGE", key("dead"), "0", "-1"));
    assertEquals("1", String.valueOf(RedisCommand.call(redis, "HGET", key("stats"), "dead")));
  }

  /** The retry comes after the job's due time: it was promoted already, and is not again. */
  @Test
  void aJobScheduledTwiceRunsOnceEvenOncePromoted() {
    RedisCommand.call(redis, "RPUSH", key("processing"), job);
    assertEquals(1L, settle("retry", key("delayed"), "1", "1"));
    RedisCommand.call(redis, "ZREM", key("delayed"), "letter");
    assertEquals(0L, settle("retry", key("delayed"), "1", "1"), "the retry of the lost reply");
    assertEquals(0L, RedisCommand.call(redis, "ZCARD", key("delayed")));
    assertEquals("1", String.valueOf(RedisCommand.call(redis, "HGET", key("stats"), "dead")));
  }

  /** Without a processing list (brpop mode) the job is settled all the same. */
  @Test
  void aJobFetchedByBrpopIsSettledThoughNoListHoldsIt() {
    assertEquals(1L, settle("bury", key("dead"), "100", "0"));
    assertEquals(List.of("letter"), RedisCommand.list(redis, "LRANGE", key("dead"), "0", "-1"));
  }

  private Object settle(String how, String target, String third, String reliable) {
    List<String> keys = List.of(key("processing"), target, key("stats"), key("deliveries"));
    List<String> args = List.of(job, "letter", third, "mark", "", how, reliable, "dead");
    return ScriptCall.eval(redis, "settle", keys, args);
  }

  private String key(String name) {
    return prefix + name;
  }
}
