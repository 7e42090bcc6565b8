package dev.souq.shared.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HashSlotTest {

  /** The slots a Redis 7.0 Cluster answered to {@code CLUSTER KEYSLOT} for these keys. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "foo|12182",
        "tasks|9114",
        "order_updates:stream|11634",
        "{order_updates:stream}:u|11634",
        "rate_limit:1.2.3.4|6831",
        "{rate_limit}:1.2.3.4|15503",
        "product:{42}|8000",
        "{user1000}.following|3443",
        // An empty tag is no tag: the whole key counts.
        "a{}b|13694",
        // Only the first pair of braces counts, even when empty.
        "{}{x}|3257",
        "x{y|2740",
        "é|10180"
      })
  void matchesRedisCluster(String key, int slot) {
    assertEquals(slot, HashSlot.of(key));
  }
}
