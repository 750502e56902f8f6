package dev.trendlake.runners;

import java.util.List;

/**
 * The JVM a run wants, in one place for the launcher's relaunch ({@link Relaunch}) and the
 * benchmark's child runs.
 *
 * <ul>
 *   <li>Flink's serializers reflect into these JDK packages ({@link #OPENS}; the bundled jar's
 *       manifest opens them too for {@code java -jar}).
 *   <li>Heap: Flink's embedded cluster has fixed managed and network memory, and the job holds one
 *       partition and its two Parquet writers per slot on the heap, so a fixed heap (-Xms = -Xmx),
 *       as Flink gives its own TaskManagers: 512 MiB + 64 MiB per slot ({@link #flinkHeap}). A
 *       fixed heap alone did not make the footprint a constant: the collector touches more of it
 *       the longer a run lasts, so a large input ended with the whole heap resident and a small one
 *       with part of it. Touching it all at start ({@code -XX:+AlwaysPreTouch}) makes the footprint
 *       the same for every input, and a smaller heap keeps that footprint below the larger input's
 *       earlier one. The parallel collector: a batch job wants throughput, not short pauses, and it
 *       keeps far smaller side structures than G1 (docs/benchmark.md).
 *   <li>The DirectRunner keeps every shuffle in memory, so its heap must grow with the input: it
 *       keeps the JVM's default maximum and collector.
 * </ul>
 */
public final class JvmSettings {
  private JvmSettings() {}

  public static final List<String> OPENS =
      List.of(
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED");

  /** The heap of an embedded Flink run with {@code slots} slots: fixed, resident from the start. */
  public static List<String> flinkHeap(int slots) {
    int mib = 512 + 64 * slots;
    return List.of("-Xms" + mib + "m", "-Xmx" + mib + "m", "-XX:+AlwaysPreTouch");
  }

  /** The collector of an embedded Flink run, unless the user chose one. */
  public static final String FLINK_GC = "-XX:+UseParallelGC";

  /** True when {@code option} chooses a garbage collector. */
  public static boolean choosesCollector(String option) {
    return option.startsWith("-XX:+Use") && option.endsWith("GC");
  }
}
