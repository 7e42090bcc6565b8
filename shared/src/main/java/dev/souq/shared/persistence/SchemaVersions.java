package dev.souq.shared.persistence;

import java.math.BigInteger;

/** Flyway's version strings ("7", "2.1", "2026.12.03"), compared part by part as numbers. */
final class SchemaVersions {
  private SchemaVersions() {}

  /** Negative, zero or positive as {@code a} is older than, the same as or newer than {@code b}. */
  static int compare(String a, String b) {
    String[] left = a.split("\\.");
    String[] right = b.split("\\.");
    for (int i = 0; i < Math.max(left.length, right.length); i++) {
      int c = part(left, i).compareTo(part(right, i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** The newer of two versions, either of which may be null (none). */
  static String newer(String a, String b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return compare(a, b) >= 0 ? a : b;
  }

  private static BigInteger part(String[] parts, int i) {
    return i < parts.length ? new BigInteger(parts[i].trim()) : BigInteger.ZERO;
  }
}
