package dev.souq.worker.queue;

import dev.souq.testing.RedisCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Runs one of the worker's Lua scripts against a real Redis, as the worker sends it. */
final class ScriptCall {
  private ScriptCall() {}

  /** EVAL of {@code /lua/<script>.lua} with {@code keys} and {@code args}: its decoded reply. */
  static Object eval(String redis, String script, List<String> keys, List<String> args) {
    List<String> command = new ArrayList<>(List.of("EVAL", source(script)));
    command.add(Integer.toString(keys.size()));
    command.addAll(keys);
    command.addAll(args);
    return RedisCommand.call(redis, command.toArray(String[]::new));
  }

  private static String source(String script) {
    try (InputStream in = ScriptCall.class.getResourceAsStream("/lua/" + script + ".lua")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
