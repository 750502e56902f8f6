package dev.trendlake.pipeline.config;

import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.Datasets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * Continuous mode's options: durations in ISO-8601 ({@code PT10S}, {@code PT1M}), given only with
 * {@code --continuous}, and what a continuous job can't honour yet (a mode, quality rules, a
 * dataset) named with the way on. These change as continuous mode grows to match batch.
 */
final class ContinuousChecks {
  private ContinuousChecks() {}

  /** The options that only a continuous run reads. */
  private static final List<RunOption> DURATIONS =
      List.of(RunOption.WATCH_INTERVAL, RunOption.COMMIT_DELAY, RunOption.STOP_WHEN_IDLE);

  /**
   * Whether the run asks to be continuous, before {@code --continuous} itself is checked: a bad
   * value is reported by {@link #check} and counts as batch.
   */
  static boolean requested(GivenOptions given) {
    return "true".equalsIgnoreCase(given.value(RunOption.CONTINUOUS));
  }

  /**
   * Every continuous problem, in option order; {@code mode} is the checked {@code --mode}, {@code
   * dataset} null when {@code --dataset} named none ({@code datasetName} is what it named).
   */
  static void check(
      GivenOptions given, String mode, Dataset dataset, String datasetName, List<String> problems) {
    boolean continuous = given.bool(RunOption.CONTINUOUS, problems);
    for (RunOption o : DURATIONS) {
      checkDuration(given, o, continuous, problems);
    }
    String runId = given.get(RunOption.RUN_ID);
    if (continuous && runId != null && runId.length() > 58) {
      problems.add(
          "--runId of a continuous run is at most 58 characters (its commits are <run-id>.NNNNN),"
              + " got "
              + runId.length());
    }
    if (continuous && mode.equals("full")) {
      problems.add(
          "--mode=full recomputes the lake once and can't be continuous: run it on its own,"
              + " then start --continuous, which goes on from the lake it left");
    }
    if (continuous && given.has(RunOption.QUALITY_RULES)) {
      problems.add(
          "--qualityRules is not applied by a continuous run yet: its commits pass no quality gate"
              + " (docs/continuous.md); check the rules with a run without --continuous");
    }
    if (continuous && dataset != null && dataset != Datasets.defaultDataset()) {
      problems.add(
          "--continuous serves the "
              + Datasets.defaultDataset().name()
              + " dataset for now, not --dataset="
              + datasetName
              + ": run it in batch (incremental runs take only its new files)");
    }
  }

  /** A duration option: only with {@code --continuous}, and positive (a commit may wait none). */
  private static void checkDuration(
      GivenOptions given, RunOption o, boolean continuous, List<String> problems) {
    String v = given.get(o);
    if (v == null) {
      return;
    }
    if (!continuous) {
      problems.add(o.flag() + " works only with --continuous");
      return;
    }
    Duration d = null;
    try {
      d = Duration.parse(v.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      // reported below
    }
    if (d == null || d.isNegative() || (d.isZero() && o != RunOption.COMMIT_DELAY)) {
      problems.add(
          o.flag()
              + " takes an ISO-8601 duration"
              + (o == RunOption.COMMIT_DELAY ? " (PT0S or more)" : " greater than zero")
              + " such as PT10S or PT5M, got '"
              + v
              + "'");
    }
  }
}
