package dev.trendlake.runners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Flink configuration for trendlake's embedded cluster ({@code --flinkMaster=[local]}), written
 * to a temporary folder handed to Beam as {@code --flinkConfDir}. Only used when the user gave no
 * {@code --flinkConfDir} and no {@code FLINK_CONF_DIR}. Measured in docs/benchmark.md:
 *
 * <ul>
 *   <li>{@code taskmanager.memory.managed.size}: without it Beam gives the embedded cluster 40% of
 *       the free heap as managed memory, allocated <em>outside</em> the heap, so a run with {@code
 *       -Xmx1536m} peaked above 2 GiB RSS. The sorter of the one shuffle spills to disk anyway at
 *       benchmark sizes, so a fixed, small amount costs nothing and bounds the process.
 *   <li>{@code taskmanager.numberOfTaskSlots} = the job's parallelism and {@code
 *       execution.batch.adaptive.auto-parallelism.enabled: false}: Flink 1.19 runs batch jobs on
 *       the adaptive batch scheduler, which sizes each stage by the bytes it consumes. The stage
 *       that parses the CSV consumes only a list of file names, so it got parallelism 1, and the
 *       MiniCluster, sized from the undecided graph, had one slot: every stage ran on one core. 1M
 *       rows: 140 s before, 85 s after (docs/benchmark.md).
 *   <li>{@code rest.port} / {@code rest.bind-port}: a free port picked at launch, so the run knows
 *       its web UI address (it prints it) and reads its progress from the REST API; {@code
 *       metrics.fetcher.update-interval} 1 s instead of 10 s, so progress lines move with the job.
 *   <li>A continuous job only: {@code execution.buffer-timeout} 1 s instead of 100 ms. Each output
 *       channel's flusher thread wakes at this interval whether or not there is anything to send; a
 *       continuous job spends most of its life idle, and its latency is set by the watch interval
 *       and the commit delay, seconds to minutes, so a record may wait up to a second in a
 *       half-full buffer. A batch job is unchanged.
 * </ul>
 */
final class EmbeddedFlinkConf {
  private EmbeddedFlinkConf() {}

  /** How long a continuous job's output buffer may wait before it is sent half full. */
  static final String CONTINUOUS_BUFFER_TIMEOUT = "1000 ms";

  /** The settings for a batch job of the given parallelism. */
  static Map<String, String> settings(int parallelism) {
    return settings(parallelism, false);
  }

  /** The settings for a job of the given parallelism, continuous or batch. */
  static Map<String, String> settings(int parallelism, boolean continuous) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("taskmanager.memory.managed.size", "256m");
    s.put("taskmanager.numberOfTaskSlots", String.valueOf(parallelism));
    s.put("execution.batch.adaptive.auto-parallelism.enabled", "false");
    String port = String.valueOf(freePort());
    s.put("rest.port", port);
    s.put("rest.bind-port", port);
    s.put("metrics.fetcher.update-interval", "1000");
    if (continuous) {
      s.put("execution.buffer-timeout", CONTINUOUS_BUFFER_TIMEOUT);
    }
    return s;
  }

  /** A port free now (another process may take it before Flink binds it: then Flink says so). */
  static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      return 8081;
    }
  }

  /** Writes the settings to a new temporary folder (removed at exit) and returns its path. */
  static String write(int parallelism, boolean continuous) {
    try {
      Path dir = Files.createTempDirectory("trendlake-flink-conf-");
      dir.toFile().deleteOnExit(); // registered first, deleted last (after the file)
      Path file = dir.resolve("flink-conf.yaml");
      StringBuilder sb =
          new StringBuilder("# written by trendlake for its embedded Flink cluster\n");
      settings(parallelism, continuous)
          .forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
      Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
      file.toFile().deleteOnExit();
      return dir.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the embedded Flink configuration", e);
    }
  }
}
