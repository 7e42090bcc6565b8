package dev.souq.shared.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON that Souq writes itself (messages, sessions, jobs): failing to is a bug here. */
public final class JsonText {
  private JsonText() {}

  /** {@code value} as JSON text. */
  public static String write(ObjectMapper json, Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  /** JSON text Souq wrote itself (a column, a message it keeps) as {@code type}. */
  public static <T> T read(ObjectMapper json, String text, Class<T> type) {
    try {
      return json.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot read " + type.getSimpleName(), e);
    }
  }
}
