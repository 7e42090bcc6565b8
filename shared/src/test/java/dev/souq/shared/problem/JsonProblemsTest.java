package dev.souq.shared.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.souq.shared.json.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each refused body is told, read as the services read it (bytes, strict mapper). */
class JsonProblemsTest {
  record Line(Long productId, Integer quantity, String note) {}

  record Order(List<Line> items, JsonNode payload) {}

  private static final ObjectMapper JSON = mapper();

  private static ObjectMapper mapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    new StrictJson().customize(mapper);
    return mapper;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"items":[{"quantity":1,"quantity":-1}]}        | Duplicate field 'quantity'
          {"items":[]} {}                                  | Unexpected data after the JSON document
          {"items":[]}garbage                              | The body is not valid JSON (line 1, column 13)
          {"items":[{"note":"a\\u0000b"}]}                 | Field 'items[0].note' contains NUL (U+0000)
          {"items":[{"note":"\\ud800"}]}                   | Field 'items[0].note' contains an unpaired surrogate (U+D800)
          {"items":[{"quantity":2147483648}]}              | Field 'items[0].quantity' is out of range
          {"items":[{"quantity":1.0}]}                     | Field 'items[0].quantity' must be a whole number
          {"items":[{"quantity":"1"}]}                     | Field 'items[0].quantity' must be a whole number
          {"items":[{"note":5}]}                           | Field 'items[0].note' must be a string
          {"payload":{"a":{"b\\u0000":1}}}                 | Field 'payload.a' contains NUL (U+0000)
          {"payload":{"a":1e400}}                          | Field 'payload.a' is a number out of range
          {"items":[{"product_id":1,}]}                    | The body is not valid JSON (line 1, column 27)
          """)
  void namesTheFieldAndTheReason(String body, String detail) {
    assertEquals(detail, problem(body.getBytes(StandardCharsets.UTF_8)).detail());
  }

  @ParameterizedTest(name = "bytes {0}")
  @CsvSource({"C0 80, 12", "ED A0 80, 12", "FF, 12", "E2 82, 12"})
  void refusesBytesThatAreNotStrictUtf8(String hex, int offset) {
    byte[] prefix = "{\"payload\":\"".getBytes(StandardCharsets.UTF_8);
    String[] parts = hex.split(" ");
    byte[] body = new byte[prefix.length + parts.length + 2];
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    for (int i = 0; i < parts.length; i++) {
      body[prefix.length + i] = (byte) Integer.parseInt(parts[i], 16);
    }
    body[body.length - 2] = '"';
    body[body.length - 1] = '}';
    assertEquals("The body is not valid UTF-8 (byte " + offset + ")", problem(body).detail());
  }

  @ParameterizedTest(name = "depth {0}")
  @CsvSource({"201", "10000"})
  void refusesNestingDeeperThanTheLimit(int depth) {
    String body = "{\"payload\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
    assertEquals(
        "The JSON is nested deeper than 200 levels",
        problem(body.getBytes(StandardCharsets.UTF_8)).detail());
  }

  private static Problem problem(byte[] body) {
    JsonProcessingException e =
        assertThrows(JsonProcessingException.class, () -> JSON.readValue(body, Order.class));
    Problem problem = JsonProblems.of(e);
    assertEquals(400, problem.status());
    return problem;
  }
}
