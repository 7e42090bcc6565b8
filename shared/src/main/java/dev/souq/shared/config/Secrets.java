package dev.souq.shared.config;

/** Keeps credentials out of error messages and logs. */
final class Secrets {
  private Secrets() {}

  /**
   * {@code scheme://user:secret@host} becomes {@code scheme://user:***@host}. The secret runs to
   * the last '@', not to the first '/': a password with a raw '/', '?', '#' or '@' (base64 has '/')
   * makes the URL invalid, and its error message is where it would otherwise show.
   */
  static String maskUserInfo(String url) {
    int scheme = url.indexOf("://");
    // Without "://" (a URL missing its scheme) the first ':' may be the scheme's: mask from it.
    int userInfo = scheme < 0 ? 0 : scheme + 3;
    int at = url.lastIndexOf('@');
    int colon = url.indexOf(':', userInfo);
    if (colon < 0 || colon > at) {
      return url;
    }
    return url.substring(0, colon) + ":***" + url.substring(at);
  }
}
