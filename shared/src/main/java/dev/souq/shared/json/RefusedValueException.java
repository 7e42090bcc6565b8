package dev.souq.shared.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * A well-formed JSON value that Souq refuses anywhere: a string breaking {@link TextRules}, a
 * number that overflows to infinity. Its reason is meant for the client: it never names a Java
 * type.
 */
public class RefusedValueException extends MismatchedInputException {
  private final String reason;

  RefusedValueException(JsonParser parser, String reason) {
    super(parser, "A value " + reason, (Class<?>) null);
    this.reason = reason;
  }

  /** What is wrong with the value, e.g. "contains NUL (U+0000)". */
  public String reason() {
    return reason;
  }
}
