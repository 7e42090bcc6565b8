package dev.souq.devstack;

import java.util.List;

/**
 * The JVM flags every service gets from {@code ./run}; bench scripts read them through {@link
 * #main} so benchmarks run the JVM users run. Keep deploy/'s JAVA_OPTS in step.
 */
public final class JvmFlags {
  /** Flags for a service JVM. */
  public static final List<String> SERVICE = List.of("-XX:+UseSerialGC", "-Xmx256m");

  private JvmFlags() {}

  /** Prints {@link #SERVICE} on one line, for {@code bench/*.sh}. */
  public static void main(String[] args) {
    System.out.println(String.join(" ", SERVICE));
  }
}
