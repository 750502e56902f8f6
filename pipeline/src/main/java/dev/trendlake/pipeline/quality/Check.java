package dev.trendlake.pipeline.quality;

import dev.trendlake.pipeline.quality.QualityRule.Scope;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks a quality rule can make, each a number per subject (a file, a region, or the run) that
 * the rule's {@code min}/{@code max} bound. What each number means is what the user reads in the
 * manifest and the run summary, so it is spelled out here once.
 */
public enum Check {
  /** Quarantined / records of the statistics files (0..1). */
  QUARANTINE_RATIO("quarantine_ratio", EnumSet.allOf(Scope.class), false),
  /** Gold rows whose category is unknown for their region / gold rows (0..1). */
  UNKNOWN_CATEGORY_RATIO("unknown_category_ratio", EnumSet.of(Scope.REGION, Scope.RUN), false),
  /** Duplicates / records of the statistics files (0..1). */
  DUPLICATE_RATIO("duplicate_ratio", EnumSet.allOf(Scope.class), false),
  /**
   * Gold rows against the previous committed run's, in percent (-100..): {@code -50} is half as
   * many rows. Skipped on a first run, and for a region the previous run did not write.
   */
  VOLUME_CHANGE("volume_change", EnumSet.of(Scope.REGION, Scope.RUN), false),
  /** Days from the newest trending date written to the run's start date (UTC). */
  FRESHNESS_DAYS("freshness_days", EnumSet.of(Scope.REGION, Scope.RUN), false),
  /**
   * Share of a video's day-to-day steps (consecutive trending days of the video in a region) on
   * which its views went down (0..1; {@code max: 0} means views never decrease). Costs a second
   * shuffle of two numbers a row, taken only when a rule asks for it.
   */
  VIEWS_MONOTONIC("views_monotonic", EnumSet.of(Scope.REGION, Scope.RUN), false),
  /** Null values of {@code column} / gold rows (0..1). */
  NULL_RATIO("null_ratio", EnumSet.of(Scope.REGION, Scope.RUN), true),
  /** Gold rows written (bound it with {@code min}). */
  MIN_ROWS("min_rows", EnumSet.of(Scope.REGION, Scope.RUN), false);

  private final String id;
  private final Set<Scope> scopes;
  private final boolean needsColumn;

  Check(String id, Set<Scope> scopes, boolean needsColumn) {
    this.id = id;
    this.scopes = scopes;
    this.needsColumn = needsColumn;
  }

  /** The name in a rules file. */
  public String id() {
    return id;
  }

  public Set<Scope> scopes() {
    return scopes;
  }

  public boolean needsColumn() {
    return needsColumn;
  }

  public static Optional<Check> byId(String id) {
    return Arrays.stream(values())
        .filter(c -> c.id.equals(id.trim().toLowerCase(Locale.ROOT)))
        .findFirst();
  }

  /** Every check's name, for messages. */
  public static String ids() {
    return Arrays.stream(values()).map(Check::id).collect(Collectors.joining(", "));
  }
}
