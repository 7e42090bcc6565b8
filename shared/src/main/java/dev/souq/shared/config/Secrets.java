package dev.souq.shared.config;

/** Keeps credentials out of error messages and logs. */
final class Secrets {
  private Secrets() {}

  /** {@code scheme://user:secret@host} becomes {@code scheme://user:***@host}. */
  static String maskUserInfo(String url) {
    return url.replaceAll("(://[^:/@]*):[^@/]*@", "$1:***@");
  }
}
