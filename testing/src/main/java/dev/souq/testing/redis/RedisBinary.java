package dev.souq.testing.redis;

import dev.souq.devstack.Executables;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import redis.embedded.core.ExecutableProvider;

/**
 * The {@code redis-server} that topology tests start as many times as they need: the machine's own
 * (Redis 7 in CI) when it is on the PATH, else the Redis 6.2 binary that the embedded server ships
 * in a Maven Central jar (a fresh machine). Empty where neither runs (no binary for this platform):
 * the tests then skip and say so.
 */
public final class RedisBinary {
  private RedisBinary() {}

  /** The binary to start, unpacked into {@code binDir} if it comes from the jar. */
  public static Optional<Path> find(Path binDir) {
    Optional<Path> onPath = Executables.onPath("redis-server");
    if (onPath.isPresent()) {
      return onPath;
    }
    try {
      Files.createDirectories(binDir);
      File unpacked = ExecutableProvider.newJarResourceProvider(binDir.toFile()).get();
      return unpacked.canExecute() ? Optional.of(unpacked.toPath()) : Optional.empty();
    } catch (IOException | RuntimeException noBinaryForThisPlatform) {
      return Optional.empty();
    }
  }
}
