package dev.souq.shared.json;

import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * What Souq takes as a JSON body's Content-Type: {@code application/json} itself, not a wildcard or
 * another type that JAX-RS would call compatible, with no charset or UTF-8, the only one RFC 8259
 * allows.
 */
public final class JsonMediaType {
  private JsonMediaType() {}

  /** Why the Content-Type {@code header} (present) is refused, for a 415; null if it is JSON. */
  public static String refusal(String header) {
    MediaType type;
    try {
      type = MediaType.valueOf(header);
    } catch (IllegalArgumentException e) {
      return "The Content-Type is not a media type; send application/json";
    }
    if (!"application".equalsIgnoreCase(type.getType())
        || !"json".equalsIgnoreCase(type.getSubtype())) {
      return "This endpoint takes application/json";
    }
    for (Map.Entry<String, String> parameter : type.getParameters().entrySet()) {
      if (parameter.getKey().equalsIgnoreCase("charset")
          && !parameter.getValue().equalsIgnoreCase("utf-8")) {
        return "JSON must be UTF-8; charset=" + clip(parameter.getValue()) + " is not";
      }
    }
    return null;
  }

  private static String clip(String value) {
    return value.length() > 40 ? value.substring(0, 40) + "…" : value;
  }
}
