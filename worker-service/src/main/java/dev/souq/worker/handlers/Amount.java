package dev.souq.worker.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.souq.shared.messages.Currencies;

/** A sum a payment takes or gives back, in minor units of {@code currency} (ISO 4217). */
record Amount(long cents, String currency) {
  /** The sum a job's payload carries ({@code total_cents}, {@code currency}), or null if none. */
  static Amount in(JsonNode payload) {
    JsonNode cents = payload.get("total_cents");
    JsonNode currency = payload.get("currency");
    if (cents == null || !cents.canConvertToLong() || cents.asLong() <= 0) {
      return null;
    }
    if (currency == null || !currency.isTextual() || !Currencies.isCode(currency.asText())) {
      return null;
    }
    return new Amount(cents.asLong(), currency.asText());
  }

  @Override
  public String toString() {
    return Money.format(cents, currency);
  }
}
