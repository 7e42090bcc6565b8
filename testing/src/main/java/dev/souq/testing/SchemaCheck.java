package dev.souq.testing;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Validates a message against one of the project's JSON Schemas (souq-shared's /schemas). */
public final class SchemaCheck {
  private SchemaCheck() {}

  /**
   * Fails with the validator's errors unless {@code json} conforms to the schema at {@code
   * resource}, e.g. {@code OrderUpdate.SCHEMA}.
   */
  public static void assertValid(String resource, String json) {
    Validator validator =
        Validator.create(
            JsonSchema.of(new JsonObject(read(resource))),
            new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://souq.dev/"));
    OutputUnit result = validator.validate(new JsonObject(json));
    if (!result.getValid()) {
      throw new AssertionError(
          "Message does not match " + resource + ": " + result.getErrors() + "\n" + json);
    }
  }

  private static String read(String resource) {
    try (InputStream in = SchemaCheck.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("No schema at " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
