package dev.trendlake.pipeline.quality;

import dev.trendlake.pipeline.quality.QualityReport.Finding;
import dev.trendlake.pipeline.quality.QualityReport.Result;
import dev.trendlake.pipeline.quality.QualityReport.Status;
import dev.trendlake.pipeline.quality.QualityRule.Scope;
import dev.trendlake.transforms.Datasets;
import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.QualityStats;
import dev.trendlake.transforms.tally.RegionTally;
import dev.trendlake.transforms.tally.RunTally;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Evaluates quality rules: a pure function of what the run tallied ({@link RunTally}: per file, per
 * region, and the {@link QualityStats} of the partitions it wrote), of the previous committed run
 * ({@link PreviousRun}, for volume change) and of the run's date (for freshness). Nothing here
 * reads or writes a file, so every check is tested directly.
 *
 * <p>A subject whose value is undefined (a ratio of zero records, a region the previous run did not
 * write) is left out; a rule with no subject left is {@link Status#SKIPPED}, says why, and does not
 * count in the pass rate.
 */
public final class QualityEvaluator {
  private QualityEvaluator() {}

  /** The previous committed run's gold rows per region, from its manifest. */
  public record PreviousRun(String runId, Map<String, Long> goldByRegion) {
    public PreviousRun {
      goldByRegion = Map.copyOf(goldByRegion);
    }
  }

  /**
   * @param previous the last committed run, or null on a first run
   * @param today the run's start date (UTC)
   */
  public static QualityReport evaluate(
      QualityRules rules, RunTally t, PreviousRun previous, LocalDate today) {
    List<Result> results = new ArrayList<>();
    for (QualityRule r : rules.rules()) {
      Map<String, Double> values = new LinkedHashMap<>();
      String note = values(r, t, previous, today, values);
      results.add(result(r, values, note));
    }
    return new QualityReport(rules.source(), results);
  }

  private static Result result(QualityRule r, Map<String, Double> values, String note) {
    if (values.isEmpty()) {
      return new Result(r, Status.SKIPPED, null, null, 0, List.of(), 0, note);
    }
    List<Finding> all = new ArrayList<>();
    values.forEach((k, v) -> all.add(new Finding(k, v)));
    // worst first: furthest outside the bounds, then nearest to the bound that is set
    Comparator<Finding> worst =
        Comparator.comparingDouble((Finding f) -> -r.excess(f.value()))
            .thenComparingDouble(f -> r.max() != null ? -f.value() : f.value());
    all.sort(worst);
    List<Finding> failing = all.stream().filter(f -> !r.passes(f.value())).toList();
    Finding top = all.get(0);
    return new Result(
        r,
        failing.isEmpty() ? Status.PASSED : Status.FAILED,
        top.value(),
        top.subject(),
        values.size(),
        failing.subList(0, Math.min(failing.size(), QualityReport.SHOWN_FAILURES)),
        failing.size(),
        "");
  }

  /** Fills {@code out} with each subject's value; returns why none was filled, if so. */
  private static String values(
      QualityRule r, RunTally t, PreviousRun previous, LocalDate today, Map<String, Double> out) {
    switch (r.check()) {
      case QUARANTINE_RATIO -> fileRatios(r.per(), t, out, true);
      case DUPLICATE_RATIO -> fileRatios(r.per(), t, out, false);
      case UNKNOWN_CATEGORY_RATIO ->
          perRegion(r.per(), t.regions(), out, x -> ratio(x.unknownCategory(), x.gold()));
      case MIN_ROWS -> perRegion(r.per(), t.regions(), out, x -> (double) x.gold());
      case VOLUME_CHANGE -> {
        if (previous == null) {
          return "no previous committed run to compare with";
        }
        Map<String, RegionTally> both = new TreeMap<>();
        Map<String, RegionTally> before = new TreeMap<>();
        t.regions()
            .forEach(
                (k, v) -> {
                  Long prev = previous.goldByRegion().get(k);
                  if (prev != null && prev > 0) {
                    both.put(k, v);
                    before.put(k, new RegionTally(0, prev, 0, 0));
                  }
                });
        Map<String, Double> now = new LinkedHashMap<>();
        Map<String, Double> then = new LinkedHashMap<>();
        perRegion(r.per(), both, now, x -> (double) x.gold());
        perRegion(r.per(), before, then, x -> (double) x.gold());
        now.forEach((k, v) -> out.put(k, (v - then.get(k)) * 100.0 / then.get(k)));
        return "no region of this run was written by the previous run " + previous.runId();
      }
      case FRESHNESS_DAYS ->
          perStats(
              r.per(),
              t,
              out,
              s ->
                  s.newestDay() == Integer.MIN_VALUE
                      ? null
                      : (double) (today.toEpochDay() - s.newestDay()));
      case VIEWS_MONOTONIC -> perStats(r.per(), t, out, s -> ratio(s.decreases(), s.steps()));
      case NULL_RATIO -> perStats(r.per(), t, out, s -> ratio(s.nulls(r.column()), s.rows()));
    }
    return "nothing to check: the run wrote no rows this check can measure";
  }

  /**
   * Quarantined or duplicate records over records, of the main files (YouTube: statistics; a side
   * input's reference files are not counted, as in the manifest's totals).
   */
  private static void fileRatios(
      Scope per, RunTally t, Map<String, Double> out, boolean quarantine) {
    Map<String, long[]> sums = new TreeMap<>();
    for (FileTally f : t.files().values()) {
      if (Datasets.isSideKind(f.kind())) {
        continue;
      }
      String subject =
          switch (per) {
            case FILE -> f.path();
            case REGION -> f.region();
            case RUN -> "run";
          };
      long[] s = sums.computeIfAbsent(subject, k -> new long[2]);
      s[0] += quarantine ? f.quarantinedTotal() : f.duplicates();
      s[1] += f.records();
    }
    sums.forEach(
        (k, s) -> {
          Double v = ratio(s[0], s[1]);
          if (v != null) {
            out.put(k, v);
          }
        });
  }

  private static void perRegion(
      Scope per,
      Map<String, RegionTally> regions,
      Map<String, Double> out,
      java.util.function.Function<RegionTally, Double> f) {
    if (per == Scope.RUN) {
      if (!regions.isEmpty()) {
        RegionTally all = regions.values().stream().reduce(RegionTally.ZERO, RegionTally::plus);
        putIfDefined(out, "run", f.apply(all));
      }
      return;
    }
    regions.forEach((k, v) -> putIfDefined(out, k, f.apply(v)));
  }

  private static void perStats(
      Scope per,
      RunTally t,
      Map<String, Double> out,
      java.util.function.Function<QualityStats, Double> f) {
    if (per == Scope.RUN) {
      if (!t.quality().isEmpty()) {
        QualityStats all =
            t.quality().values().stream().reduce(QualityStats.ZERO, QualityStats::plus);
        putIfDefined(out, "run", f.apply(all));
      }
      return;
    }
    t.quality().forEach((k, v) -> putIfDefined(out, k, f.apply(v)));
  }

  private static void putIfDefined(Map<String, Double> out, String k, Double v) {
    if (v != null) {
      out.put(k, v);
    }
  }

  private static Double ratio(long part, long whole) {
    return whole == 0 ? null : (double) part / whole;
  }
}
