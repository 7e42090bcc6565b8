package dev.souq.shared.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.Map;

/**
 * Free-form JSON (a job's payload) under the same rules as typed fields: every key and string
 * passes {@link TextRules}, and no number is so large that it turns into infinity.
 */
class StrictTreeDeserializer extends StdDeserializer<JsonNode> {
  @SuppressWarnings("unchecked")
  private static final JsonDeserializer<JsonNode> TREE =
      (JsonDeserializer<JsonNode>) JsonNodeDeserializer.getDeserializer(JsonNode.class);

  StrictTreeDeserializer() {
    super(JsonNode.class);
  }

  @Override
  public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonNode tree = TREE.deserialize(p, ctxt);
    check(p, tree);
    return tree;
  }

  @Override
  public JsonNode getNullValue(DeserializationContext ctxt) {
    try {
      return TREE.getNullValue(ctxt);
    } catch (JsonMappingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void check(JsonParser p, JsonNode node) throws IOException {
    if (node.isTextual()) {
      reject(p, TextRules.problem(node.textValue()));
    } else if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
      reject(p, "is a number out of range");
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String keyProblem = TextRules.problem(field.getKey());
        if (keyProblem != null) {
          throw new RefusedValueException(p, keyProblem);
        }
        try {
          check(p, field.getValue());
        } catch (JsonMappingException e) {
          throw JsonMappingException.wrapWithPath(e, node, field.getKey());
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        try {
          check(p, node.get(i));
        } catch (JsonMappingException e) {
          throw JsonMappingException.wrapWithPath(e, node, i);
        }
      }
    }
  }

  private static void reject(JsonParser p, String problem) throws RefusedValueException {
    if (problem != null) {
      throw new RefusedValueException(p, problem);
    }
  }
}
