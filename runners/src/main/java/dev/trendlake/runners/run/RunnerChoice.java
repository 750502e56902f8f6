package dev.trendlake.runners.run;

import dev.trendlake.pipeline.config.RunConfig;
import java.util.Locale;

/**
 * What {@code --runner=auto} (the default) runs on: the DirectRunner for small inputs, where it
 * starts faster than an embedded Flink cluster, and the embedded Flink cluster for large ones,
 * where the DirectRunner, which keeps every shuffle in memory, needs several times the time and
 * memory (docs/benchmark.md has the measured crossover). An explicit {@code --runner} always wins.
 */
final class RunnerChoice {
  private RunnerChoice() {}

  /** Statistics CSV from which the embedded Flink cluster is the faster choice. */
  static final long FLINK_FROM_BYTES = 64L << 20;

  /** Carries auto's reason into a relaunched JVM, whose command line names the runner. */
  static final String REASON_PROPERTY = "trendlake.runnerReason";

  static RunConfig settle(RunConfig config, long files, long bytes) {
    if (!config.runner().equals("auto")) {
      return config.withRunner(config.runner(), System.getProperty(REASON_PROPERTY, ""));
    }
    if (config.continuous()) {
      return config.withRunner(
          "DirectRunner",
          "auto chose the DirectRunner for a continuous run: it reads a few new files at a time;"
              + " --runner=FlinkRunner adds checkpoints and restarts from them");
    }
    boolean flink = bytes >= FLINK_FROM_BYTES;
    String size =
        String.format(
            Locale.ROOT, "%.1f MB of statistics CSV to read in %d files", bytes / 1e6, files);
    String reason =
        flink
            ? "auto chose the embedded Flink cluster: "
                + size
                + ", at least the "
                + (FLINK_FROM_BYTES >> 20)
                + " MiB from which it beats the DirectRunner"
            : "auto chose the DirectRunner: "
                + size
                + ", below the "
                + (FLINK_FROM_BYTES >> 20)
                + " MiB from which the embedded Flink cluster pays off";
    return config.withRunner(flink ? "FlinkRunner" : "DirectRunner", reason);
  }
}
