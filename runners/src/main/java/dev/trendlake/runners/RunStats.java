package dev.trendlake.runners;

import dev.trendlake.pipeline.StageTimes;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * JVM figures the benchmark cannot read from outside the process: with {@code
 * -Dtrendlake.statsFile=<path>}, a shutdown hook writes the peak heap (the sum of each heap pool's
 * peak, an upper bound of the true peak), the heap limit and the garbage collectors' counts and
 * time, and the run's stage times ({@link StageTimes}) as JSON. Off unless asked for; it never
 * touches the run itself.
 */
final class RunStats {
  private RunStats() {}

  static void installIfRequested() {
    String path = System.getProperty("trendlake.statsFile");
    if (path == null || path.isBlank()) {
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> write(path), "trendlake-run-stats"));
  }

  /**
   * The run's stage times ({@link StageTimes}) as JSON members; stage names are fixed identifiers.
   */
  private static String stages() {
    StringJoiner j = new StringJoiner(", ");
    StageTimes.last().forEach((k, v) -> j.add(String.format(Locale.ROOT, "\"%s\": %.1f", k, v)));
    return j.toString();
  }

  static void write(String path) {
    long peak = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
        peak += p.getPeakUsage().getUsed();
      }
    }
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean g : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, g.getCollectionCount());
      gcMillis += Math.max(0, g.getCollectionTime());
    }
    long cpuNanos = -1;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      cpuNanos = os.getProcessCpuTime();
    }
    String json =
        String.format(
            Locale.ROOT,
            "{\"peak_heap_bytes\": %d, \"max_heap_bytes\": %d, \"gc_count\": %d, \"gc_millis\": %d,"
                + " \"cpu_nanos\": %d, \"stages\": {%s}}%n",
            peak,
            Runtime.getRuntime().maxMemory(),
            gcCount,
            gcMillis,
            cpuNanos,
            stages());
    try {
      Files.write(Paths.get(path), json.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      System.err.println(
          "trendlake: could not write run statistics to " + path + ": " + e.getMessage());
    }
  }
}
