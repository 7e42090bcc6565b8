package dev.souq.shared.messages;

import java.util.regex.Pattern;

/** Currencies as Souq's APIs and messages write them: ISO 4217 alphabetic codes (EUR). */
public final class Currencies {
  /** Three capital letters; a constant, so Bean Validation's {@code @Pattern} can name it. */
  public static final String CODE = "[A-Z]{3}";

  /** What a {@code @Pattern} on {@link #CODE} answers. */
  public static final String NOT_A_CODE = "must be an ISO 4217 code such as EUR";

  private static final Pattern PATTERN = Pattern.compile(CODE);

  private Currencies() {}

  /** Whether {@code text} is written as a currency code. */
  public static boolean isCode(String text) {
    return text != null && PATTERN.matcher(text).matches();
  }
}
