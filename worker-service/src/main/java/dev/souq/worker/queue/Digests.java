package dev.souq.worker.queue;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The digests the worker names jobs by, in lowercase hex. */
public final class Digests {
  private Digests() {}

  /** SHA-1, as Lua's {@code redis.sha1hex} computes it: the field of a job's delivery count. */
  public static String sha1(byte[] bytes) {
    return hex("SHA-1", bytes);
  }

  /** SHA-256: how a dead letter names a job it keeps only a prefix of. */
  public static String sha256(byte[] bytes) {
    return hex("SHA-256", bytes);
  }

  private static String hex(String algorithm, byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
