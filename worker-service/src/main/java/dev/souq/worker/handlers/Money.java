package dev.souq.worker.handlers;

import java.math.BigDecimal;

/** Amounts in minor units as people read them: {@code 1999, EUR} → {@code 19.99 EUR}. */
final class Money {
  private Money() {}

  static String format(long cents, String currency) {
    return BigDecimal.valueOf(cents, 2).toPlainString() + " " + currency;
  }
}
