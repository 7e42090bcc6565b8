package dev.souq.shared.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * The one JSON dialect every Souq service reads, for request bodies and for what it reads back from
 * Redis alike: a document means one thing or is refused. Refused, each with a 400 that says why
 * ({@code ProblemMappers.unreadable}): a key given twice, anything after the document, bytes that
 * are not UTF-8, NUL or an unpaired surrogate in any string, a float or a string where a whole
 * number belongs, a number past its type's range, nesting deeper than {@value #MAX_DEPTH}.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {
  /** The deepest nesting read; below Jackson's write limit, so what is read can be written back. */
  public static final int MAX_DEPTH = 200;

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float}) {
      mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    mapper
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
        .setInputDecorator(new Utf8Check());
    mapper.registerModule(
        new SimpleModule("souq-strict-json")
            .addDeserializer(String.class, new StrictStringDeserializer())
            .addDeserializer(JsonNode.class, new StrictTreeDeserializer()));
  }
}
