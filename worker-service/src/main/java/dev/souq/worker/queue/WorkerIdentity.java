package dev.souq.worker.queue;

import dev.souq.worker.config.WorkerConfig;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * This instance's id and its keys. The default is new at every start (host name plus a random
 * suffix): a restarted pod with the same name must not adopt the processing list of the process it
 * replaces, which the reaper returns to the queue instead. Its life is new at every start even
 * under a fixed id: the heartbeat holds it, so a claim of the process it replaced is seen as dead.
 */
@Singleton
public class WorkerIdentity {
  private final TaskKeys keys;
  private final String id;
  private final String life = HexFormat.of().formatHex(randomBytes(4));

  WorkerIdentity(WorkerConfig config, TaskKeys keys) {
    this.keys = keys;
    this.id = config.id().filter(s -> !s.isBlank()).orElseGet(WorkerIdentity::generate);
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new SecureRandom().nextBytes(bytes);
    return bytes;
  }

  private static String generate() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "worker";
      }
    }
    return host.replaceAll("[^A-Za-z0-9_.-]", "-") + "-" + HexFormat.of().formatHex(randomBytes(4));
  }

  public String id() {
    return id;
  }

  /** This process's life under its id (8 hex digits): what its heartbeat holds. */
  public String life() {
    return life;
  }

  public String processing() {
    return keys.processing(id);
  }

  public String heartbeat() {
    return keys.heartbeat(id);
  }
}
