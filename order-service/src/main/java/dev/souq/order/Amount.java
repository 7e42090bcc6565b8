package dev.souq.order;

/** A sum of money in minor units of {@code currency} (ISO 4217). */
public record Amount(long cents, String currency) {}
