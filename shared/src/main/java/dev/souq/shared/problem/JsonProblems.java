package dev.souq.shared.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.souq.shared.json.InvalidUtf8Exception;
import dev.souq.shared.json.RefusedValueException;
import dev.souq.shared.json.StrictJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Says, in the client's terms, why a JSON body could not be read: which field and what is wrong
 * with it, or where the document breaks. Never a Java type or a parser's own message.
 */
final class JsonProblems {
  private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '(.{0,64})");

  private JsonProblems() {}

  static Problem of(JsonProcessingException e) {
    String field = e instanceof JsonMappingException mapping ? path(mapping) : "";
    if (find(e, InvalidUtf8Exception.class) instanceof InvalidUtf8Exception utf8) {
      return bad(utf8.getOriginalMessage(), "", null);
    }
    if (find(e, StreamConstraintsException.class) != null) {
      return bad(
          String.valueOf(e.getMessage()).contains("nesting depth")
              ? "The JSON is nested deeper than " + StrictJson.MAX_DEPTH + " levels"
              : "The JSON has a number, string or name longer than allowed",
          "",
          null);
    }
    if (find(e, RefusedValueException.class) instanceof RefusedValueException refused) {
      return bad(about(field, refused.reason()), field, refused.reason());
    }
    if (e instanceof UnrecognizedPropertyException) {
      return bad("Unknown field '" + field + "'", field, "is not a known field");
    }
    if (find(e, InputCoercionException.class) != null) {
      return bad(about(field, "is out of range"), field, "is out of range");
    }
    // A syntax error deep inside a field still arrives wrapped with that field's path.
    if (find(e, JsonParseException.class) instanceof JsonParseException parse) {
      Matcher duplicate = DUPLICATE.matcher(String.valueOf(parse.getOriginalMessage()));
      if (duplicate.find()) {
        String name = duplicate.group(1).replaceAll("'$", "");
        return bad("Duplicate field '" + name + "'", name, "appears more than once");
      }
      return bad("The body is not valid JSON" + where(parse.getLocation()), "", null);
    }
    String message = String.valueOf(e.getOriginalMessage());
    if (e instanceof MismatchedInputException && message.startsWith("Trailing token")) {
      return bad("Unexpected data after the JSON document", "", null);
    }
    if (e instanceof MismatchedInputException mismatch && !field.isEmpty()) {
      String expected = expectation(mismatch.getTargetType());
      return bad(about(field, expected), field, expected);
    }
    if (e instanceof JsonMappingException && !field.isEmpty()) {
      String wrong = "has a value of the wrong type or format";
      return bad(about(field, wrong), field, wrong);
    }
    return bad("The body is not valid JSON" + where(e.getLocation()), "", null);
  }

  private static Problem bad(String detail, String field, String message) {
    List<Problem.FieldError> errors =
        field.isEmpty() || message == null
            ? List.of()
            : List.of(new Problem.FieldError(field, message));
    return new Problem("about:blank", "Bad Request", 400, detail, errors);
  }

  private static String about(String field, String problem) {
    return field.isEmpty() ? "The body " + problem : "Field '" + field + "' " + problem;
  }

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }

  private static String expectation(Class<?> type) {
    if (type == null) {
      return "has a value of the wrong type or format";
    }
    if (type == Integer.class
        || type == int.class
        || type == Long.class
        || type == long.class
        || type == Short.class
        || type == short.class
        || type == BigInteger.class) {
      return "must be a whole number";
    }
    if (type == Double.class || type == double.class || type == BigDecimal.class) {
      return "must be a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "must be true or false";
    }
    if (type == String.class) {
      return "must be a string";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "must be an array";
    }
    if (type.isRecord()) {
      return "must be an object";
    }
    return "has a value of the wrong type or format";
  }

  private static Throwable find(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
    }
    return null;
  }

  /** "items[0].quantity": the path in the client's own field names. */
  static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }
}
