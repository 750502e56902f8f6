package dev.trendlake.runners.cli;

import dev.trendlake.pipeline.config.RunOption;
import dev.trendlake.runners.FlinkClientContext;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * Defaults that depend on where trendlake runs. The sample bronze ({@code --input}'s default) is
 * {@code testdata/bronze} under the working directory, or else the one of the checkout the jar was
 * built in ({@code runners/target/} is two levels below it), so {@code java -jar
 * runners/target/trendlake-bundled.jar run} works from anywhere in a checkout, as {@code
 * ./trendlake run} does.
 */
final class Defaults {
  private Defaults() {}

  /**
   * True when the run goes to a Flink cluster (a {@code --flinkMaster} other than the embedded
   * {@code [local]}, or submitted by {@code flink run}), where an embedded warehouse has no machine
   * of the user's to live on: the default warehouse there is none.
   */
  static boolean onACluster(Map<RunOption, String> values) {
    String master = values.get(RunOption.FLINK_MASTER);
    return (master != null && !master.trim().equals("[local]")) || FlinkClientContext.active();
  }

  static String input() {
    String relative = RunOption.INPUT.defaultValue();
    if (Files.isDirectory(Paths.get(relative))) {
      return relative;
    }
    try {
      Path jar =
          Paths.get(Defaults.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path checkout = jar.getParent() == null ? null : jar.getParent().getParent();
      if (checkout != null && checkout.getParent() != null) {
        Path sample = checkout.getParent().resolve(relative);
        if (Files.isDirectory(sample)) {
          return sample.toString();
        }
      }
    } catch (URISyntaxException | RuntimeException e) {
      // no code source: the relative default stands, and the validator says it is missing
    }
    return relative;
  }
}
