package dev.souq.shared.json;

/**
 * What no string Souq accepts may contain, whatever the field: NUL (PostgreSQL refuses it in text,
 * and C code truncates at it) and UTF-16 surrogates without their pair (they are not characters;
 * encoded to UTF-8 they silently become {@code ?}).
 */
public final class TextRules {
  private TextRules() {}

  /** Why {@code text} is refused, or null if it is acceptable. */
  public static String problem(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\u0000') {
        return "contains NUL (U+0000)";
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return "contains an unpaired surrogate (U+" + hex(c) + ")";
        }
      } else if (Character.isLowSurrogate(c)) {
        return "contains an unpaired surrogate (U+" + hex(c) + ")";
      }
    }
    return null;
  }

  private static String hex(char c) {
    return String.format("%04X", (int) c);
  }
}
