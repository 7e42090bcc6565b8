package dev.souq.shared.redis;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * A Lua script run atomically by Redis: EVALSHA, falling back to EVAL the first time a server has
 * not seen it (after a restart or failover), so the script text crosses the wire once per server.
 */
public final class LuaScript {
  private final String source;
  private final String sha1;

  /**
   * Loads the script from the classpath, e.g. {@code /lua/rate-limit.lua}; several resources are
   * joined into one script, so a prelude of shared functions can come first.
   */
  public static LuaScript fromClasspath(String resource, String... more) {
    StringBuilder source = new StringBuilder(read(resource));
    for (String next : more) {
      source.append('\n').append(read(next));
    }
    return new LuaScript(source.toString());
  }

  private static String read(String resource) {
    try (var in = LuaScript.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("No Lua script at " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot read " + resource, e);
    }
  }

  /** A script given as text. */
  public LuaScript(String source) {
    this.source = source;
    try {
      this.sha1 =
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-1")
                      .digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs the script with its keys (for cluster routing) and arguments. */
  public Uni<Response> run(ReactiveRedisDataSource redis, List<String> keys, List<String> args) {
    return redis
        .execute("EVALSHA", command(sha1, keys, args))
        .onFailure(LuaScript::isNoScript)
        .recoverWithUni(() -> redis.execute("EVAL", command(source, keys, args)));
  }

  /**
   * Runs the script with arguments that may be bytes: each is a {@code byte[]}, sent as is (a
   * queued job is the exact bytes a producer pushed, not a re-encoded String), or text.
   */
  public Uni<Response> runRaw(ReactiveRedisDataSource redis, List<String> keys, List<?> args) {
    return redis
        .getRedis()
        .send(raw(Command.EVALSHA, sha1, keys, args))
        .onFailure(LuaScript::isNoScript)
        .recoverWithUni(() -> redis.getRedis().send(raw(Command.EVAL, source, keys, args)));
  }

  private static Request raw(Command command, String script, List<String> keys, List<?> args) {
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

  /**
   * An EVAL request carrying the script text, for a pipeline ({@code Redis.batch}): inside a
   * pipeline a NOSCRIPT reply would fail the batch after later commands had already run.
   */
  public Request request(List<String> keys, List<String> args) {
    Request request = Request.cmd(Command.EVAL);
    for (String part : command(source, keys, args)) {
      request.arg(part);
    }
    return request;
  }

  /**
   * Runs the script on the bare Vert.x client, for a hot path that builds its own arguments without
   * Mutiny: {@code args} appends numkeys, the keys and the arguments to the request.
   */
  public Future<io.vertx.redis.client.Response> send(
      io.vertx.redis.client.Redis redis, Consumer<io.vertx.redis.client.Request> args) {
    io.vertx.redis.client.Request evalsha =
        io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.EVALSHA).arg(sha1);
    args.accept(evalsha);
    return redis
        .send(evalsha)
        .recover(
            failure -> {
              if (!isNoScript(failure)) {
                return Future.failedFuture(failure);
              }
              io.vertx.redis.client.Request eval =
                  io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.EVAL).arg(source);
              args.accept(eval);
              return redis.send(eval);
            });
  }

  private static boolean isNoScript(Throwable failure) {
    return failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT");
  }

  private static String[] command(String script, List<String> keys, List<String> args) {
    List<String> parts = new ArrayList<>(2 + keys.size() + args.size());
    parts.add(script);
    parts.add(Integer.toString(keys.size()));
    parts.addAll(keys);
    parts.addAll(args);
    return parts.toArray(String[]::new);
  }
}
