package dev.souq.shared.json;

import com.fasterxml.jackson.core.JsonParseException;

/** A body whose bytes are not UTF-8 (overlong forms and encoded surrogates included). */
public class InvalidUtf8Exception extends JsonParseException {
  private final long offset;

  InvalidUtf8Exception(long offset) {
    super(null, "The body is not valid UTF-8 (byte " + offset + ")");
    this.offset = offset;
  }

  /** Where the first malformed sequence starts, counted from 0. */
  public long offset() {
    return offset;
  }
}
