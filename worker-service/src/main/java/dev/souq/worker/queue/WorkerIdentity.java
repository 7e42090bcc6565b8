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
 * replaces, which the reaper returns to the queue instead.
 */
@Singleton
public class WorkerIdentity {
  private final TaskKeys keys;
  private final String id;

  WorkerIdentity(WorkerConfig config, TaskKeys keys) {
    this.keys = keys;
    this.id = config.id().filter(s -> !s.isBlank()).orElseGet(WorkerIdentity::generate);
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
    byte[] suffix = new byte[4];
    new SecureRandom().nextBytes(suffix);
    return host.replaceAll("[^A-Za-z0-9_.-]", "-") + "-" + HexFormat.of().formatHex(suffix);
  }

  public String id() {
    return id;
  }

  public String processing() {
    return keys.processing(id);
  }

  public String heartbeat() {
    return keys.heartbeat(id);
  }
}
