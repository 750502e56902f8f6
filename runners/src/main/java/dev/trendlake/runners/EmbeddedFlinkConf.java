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
 * </ul>
 */
final class EmbeddedFlinkConf {
  private EmbeddedFlinkConf() {}

  static final Map<String, String> SETTINGS = new LinkedHashMap<>();

  static {
    SETTINGS.put("taskmanager.memory.managed.size", "256m");
  }

  /** Writes the settings to a new temporary folder (removed at exit) and returns its path. */
  static String write() {
    try {
      Path dir = Files.createTempDirectory("trendlake-flink-conf-");
      dir.toFile().deleteOnExit(); // registered first, deleted last (after the file)
      Path file = dir.resolve("flink-conf.yaml");
      StringBuilder sb = new StringBuilder("# written by trendlake for its embedded Flink cluster\n");
      SETTINGS.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
      Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
      file.toFile().deleteOnExit();
      return dir.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the embedded Flink configuration", e);
    }
  }
}
