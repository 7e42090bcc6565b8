package dev.souq.shared.ratelimit;

import io.quarkus.logging.Log;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One call of the GCRA script for a {@link GcraBatcher}: its checks in arrival order, grouped by
 * client key, each key asked for its waiting requests plus the cells its {@link LocalBudgets} wants
 * ahead; then each check told what the one-request script would have told it in its turn.
 */
final class GcraBatch {
  private final RateCheck[] checks;
  private final int size;
  private final int[] keyOf;
  private final LocalBudgets budgets;
  private final long limit;
  private final double interval;

  private String[] keys = new String[4];
  private int[] counts = new int[4];
  private int[] extras;
  private int[] admitted;
  private double[] base;
  private int keyCount;
  long timer;
  boolean settled;

  GcraBatch(
      RateCheck[] checks, int size, long now, LocalBudgets budgets, long limit, double interval) {
    this.checks = checks;
    this.budgets = budgets;
    this.limit = limit;
    this.interval = interval;
    this.size = size;
    this.keyOf = new int[size];
    Map<String, Integer> index = null;
    for (int i = 0; i < size; i++) {
      String key = checks[i].key();
      int k;
      if (keyCount > 0 && keys[keyCount - 1].equals(key)) {
        k = keyCount - 1; // the usual case: one client's requests side by side
      } else {
        if (index == null) {
          index = new HashMap<>();
          for (int j = 0; j < keyCount; j++) {
            index.put(keys[j], j);
          }
        }
        Integer known = index.get(key);
        k = known == null ? add(key, index) : known;
      }
      counts[k]++;
      keyOf[i] = k;
    }
    extras = new int[keyCount];
    for (int k = 0; k < keyCount; k++) {
      extras[k] = budgets.extra(keys[k], now);
    }
  }

  private int add(String key, Map<String, Integer> index) {
    if (keyCount == keys.length) {
      keys = Arrays.copyOf(keys, keyCount * 2);
      counts = Arrays.copyOf(counts, keyCount * 2);
    }
    index.put(key, keyCount);
    keys[keyCount] = key;
    return keyCount++;
  }

  void appendArguments(Request request) {
    request.arg(keyCount);
    for (int k = 0; k < keyCount; k++) {
      request.arg(keys[k]);
    }
    request.arg(limit).arg(GcraBatcher.WINDOW_MS);
    for (int k = 0; k < keyCount; k++) {
      request.arg(counts[k] + extras[k]);
    }
  }

  /** Reads Redis' reply and tells the loop's budgets what it granted or refused. */
  void read(Response reply) {
    admitted = new int[keyCount];
    base = new double[keyCount];
    for (int k = 0; k < keyCount; k++) {
      admitted[k] = reply.get(2 * k).toInteger();
      base[k] = Double.parseDouble(reply.get(2 * k + 1).toString());
    }
    long now = System.nanoTime();
    for (int k = 0; k < keyCount; k++) {
      budgets.record(keys[k], counts[k], extras[k], admitted[k], base[k], now);
    }
  }

  /**
   * Hands each check the answer the one-request script would have given it in its turn (cells
   * granted beyond the waiting requests stay with the loop's budgets).
   */
  void settle() {
    int[] position = new int[keyCount];
    for (int i = 0; i < size; i++) {
      int k = keyOf[i];
      int p = position[k]++;
      try {
        if (p < admitted[k]) {
          double tat = base[k] + (p + 1) * interval;
          long remaining = (long) Math.floor((GcraBatcher.WINDOW_MS - tat) / interval);
          checks[i].admitted(Math.max(0, remaining), (long) Math.ceil(tat));
        } else {
          double tat = base[k] + admitted[k] * interval; // nothing granted beyond the waiting
          long retry = (long) Math.ceil(tat + interval - GcraBatcher.WINDOW_MS);
          checks[i].refused(Math.max(0, retry), (long) Math.ceil(tat));
        }
      } catch (RuntimeException e) {
        Log.errorf(e, "Rate check callback failed");
      }
    }
  }

  void fail(Throwable failure) {
    for (int i = 0; i < size; i++) {
      tellUnavailable(checks[i], failure);
    }
  }

  static void tellUnavailable(RateCheck check, Throwable failure) {
    try {
      check.unavailable(failure);
    } catch (RuntimeException e) {
      Log.errorf(e, "Rate check callback failed");
    }
  }
}
