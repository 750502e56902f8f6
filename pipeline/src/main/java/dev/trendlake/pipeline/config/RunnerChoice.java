package dev.trendlake.pipeline.config;

import java.util.List;
import java.util.Locale;

/**
 * {@code --runner}: the runners trendlake launches, under the names users type for them (short,
 * Beam's class name, or its fully qualified name), settled to one spelling the launcher compares.
 */
final class RunnerChoice {
  private RunnerChoice() {}

  /** {@code auto}, {@code DirectRunner} or {@code FlinkRunner}; a problem, and auto, otherwise. */
  static String of(String value, List<String> problems) {
    String v = value.trim();
    String lower = v.toLowerCase(Locale.ROOT);
    if (lower.equals("auto")) {
      return "auto";
    }
    if (lower.equals("directrunner") || lower.equals("direct") || v.endsWith(".DirectRunner")) {
      return "DirectRunner";
    }
    if (lower.equals("flinkrunner") || lower.equals("flink") || v.endsWith(".FlinkRunner")) {
      return "FlinkRunner";
    }
    problems.add("--runner must be auto, DirectRunner or FlinkRunner, got '" + v + "'");
    return "auto";
  }
}
