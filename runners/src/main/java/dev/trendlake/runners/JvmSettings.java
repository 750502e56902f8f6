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
 *       as Flink gives its own TaskManagers, makes the footprint a constant: 640 MiB + 64 MiB per
 *       slot ({@link #flinkHeap}). The DirectRunner keeps every shuffle in memory, so its heap must
 *       grow with the input: it keeps the JVM's default maximum (docs/benchmark.md).
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

  /** -Xms and -Xmx for an embedded Flink run with {@code slots} slots. */
  public static List<String> flinkHeap(int slots) {
    int mib = 640 + 64 * slots;
    return List.of("-Xms" + mib + "m", "-Xmx" + mib + "m");
  }
}
