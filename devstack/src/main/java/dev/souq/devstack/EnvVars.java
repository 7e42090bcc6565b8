package dev.souq.devstack;

import java.util.Map;
import java.util.Optional;

/** Reading {@code ./run}'s environment: a blank variable counts as unset. */
final class EnvVars {
  private EnvVars() {}

  static Optional<String> value(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
  }

  static int intValue(Map<String, String> env, String name, int fallback) {
    return value(env, name).map(Integer::parseInt).orElse(fallback);
  }
}
