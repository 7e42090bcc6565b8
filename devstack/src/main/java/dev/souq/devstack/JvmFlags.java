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
   *       ~20 MB, so pauses stay short. Not so for notification-service holding thousands of
   *       connections (~140 MB live at 10,000): its heap grows by full collections of up to 320 ms.
   *       G1 avoids them for ~21 % of its deliveries on 2 cores; deploy/README.md "Scaling out"
   *       leaves that choice to the operator.
   *   <li>{@code -Xms16m}: the initial heap is otherwise min(RAM / 64, -Xmx), i.e. all 256 MB on a
   *       24 GB box, and start-up allocation touches a young generation of ~80 MB before the first
   *       collection; starting small lets the heap grow only as far as the load needs (−55 MB).
   *   <li>{@code -Xmx256m}: a bound, so several services fit one machine or a 512 Mi pod.
   *   <li>{@code -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40}: after a full collection the old
   *       generation keeps 20–40 % free instead of the JVM's default 40–70 % (in an image they come
   *       after run-java.sh's own ratios, so they win). Start-up leaves ~20 MB live, so 25 MB
   *       committed instead of 33; the heap still grows on demand up to -Xmx.
   *   <li>{@code -XX:TrimNativeHeapInterval=1000}: every second, hands memory that glibc malloc
   *       keeps after free (C2 compiler arenas, start-up parsing) back to the OS (−20 MB). At 5 s
   *       an idle service still held up to 20 MB of start-up garbage 5 s after ready.
   * </ul>
   *
   * <p>Catalog, 2026-12-03, 3 starts each, RSS 5 s after ready: 220–238 MB with a 5 s trim and the
   * default ratios, 191–195 MB with these; {@code bench/catalog.sh 12 "redis:on near:on"} in turns
   * showed no loss of throughput.
   */
  public static final List<String> SERVICE =
      List.of(
          "-XX:+UseSerialGC",
          "-Xms16m",
          "-Xmx256m",
          "-XX:MinHeapFreeRatio=20",
          "-XX:MaxHeapFreeRatio=40",
          "-XX:TrimNativeHeapInterval=1000");

  private JvmFlags() {}

  /** Prints {@link #SERVICE} on one line, for {@code bench/*.sh}. */
  public static void main(String[] args) {
    System.out.println(String.join(" ", SERVICE));
  }
}
