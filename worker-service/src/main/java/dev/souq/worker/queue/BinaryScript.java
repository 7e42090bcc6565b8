package dev.souq.worker.queue;

import dev.souq.shared.redis.LuaScript;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A Lua script whose arguments may be bytes, not only text: a job is the exact bytes a producer
 * pushed, and a script that removes it from a list must send those bytes, not a re-encoded String
 * (which {@link LuaScript} would send). EVALSHA, with EVAL the first time a server lacks it.
 */
public final class BinaryScript {
  private final String source;
  private final String sha1;

  private BinaryScript(String source) {
    this.source = source;
    this.sha1 = Digests.sha1(source.getBytes(StandardCharsets.UTF_8));
  }

  /** Loads the script from the classpath, e.g. {@code /lua/ack.lua}. */
  public static BinaryScript fromClasspath(String resource) {
    try (InputStream in = BinaryScript.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("No Lua script at " + resource);
      }
      return new BinaryScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
  }

  /** Runs the script; each argument is a {@code byte[]} (sent as is) or a String (UTF-8). */
  public Uni<Response> run(ReactiveRedisDataSource redis, List<String> keys, List<?> args) {
    return redis
        .getRedis()
        .send(request(Command.EVALSHA, sha1, keys, args))
        .onFailure(BinaryScript::isNoScript)
        .recoverWithUni(() -> redis.getRedis().send(request(Command.EVAL, source, keys, args)));
  }

  private static Request request(Command command, String script, List<String> keys, List<?> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    for (Object arg : args) {
      if (arg instanceof byte[] bytes) {
        request.arg(bytes);
      } else {
        request.arg(String.valueOf(arg));
      }
    }
    return request;
  }

  private static boolean isNoScript(Throwable failure) {
    return failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT");
  }
}
