package dev.souq.devstack;

import java.util.List;

/**
 * The JVM flags every service gets from {@code ./run}; bench scripts read them through {@link
 * #main} so benchmarks run the JVM users run. The container images get the same flags ({@code
 * quarkus.jib.*} in each service's application.properties): keep them in step.
 */
public final class JvmFlags {
  /**
   * Flags for a service JVM, chosen for idle memory (issue 12: ≤ 200 MB RSS) without costing
   * throughput on a small box. Measured on catalog-service (bench/all.sh, memory part):
   *
   * <ul>
   *   <li>{@code -XX:+UseSerialGC}: no GC worker threads, no G1 remembered sets; the live set is
   *       ~20 MB, so pauses stay short.
   *   <li>{@code -Xms16m}: the initial heap is otherwise min(RAM / 64, -Xmx), i.e. all 256 MB on a
   *       24 GB box, and start-up allocation touches a young generation of ~80 MB before the first
   *       collection; starting small lets the heap grow only as far as the load needs (−55 MB).
   *   <li>{@code -Xmx256m}: a bound, so several services fit one machine or a 512 Mi pod.
   *   <li>{@code -XX:TrimNativeHeapInterval=5000}: every 5 s, hands memory that glibc malloc keeps
   *       after free (C2 compiler arenas, start-up parsing) back to the OS (−20 MB).
   * </ul>
   */
  public static final List<String> SERVICE =
      List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx256m", "-XX:TrimNativeHeapInterval=5000");

  private JvmFlags() {}

  /** Prints {@link #SERVICE} on one line, for {@code bench/*.sh}. */
  public static void main(String[] args) {
    System.out.println(String.join(" ", SERVICE));
  }
}
