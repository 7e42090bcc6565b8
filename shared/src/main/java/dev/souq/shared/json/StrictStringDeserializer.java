package dev.souq.shared.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;

/**
 * Strings only from JSON strings (a number or boolean is not silently turned into text), and only
 * strings that pass {@link TextRules}.
 */
class StrictStringDeserializer extends StdScalarDeserializer<String> {

  StrictStringDeserializer() {
    super(String.class);
  }

  @Override
  public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    if (!p.hasToken(JsonToken.VALUE_STRING)) {
      return (String) ctxt.handleUnexpectedToken(String.class, p);
    }
    String text = p.getText();
    String problem = TextRules.problem(text);
    if (problem != null) {
      throw new RefusedValueException(p, problem);
    }
    return text;
  }
}
