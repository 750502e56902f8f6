package dev.trendlake.pipeline.quality;

import java.io.Serializable;
import java.util.Locale;

/**
 * One data-quality rule, as a rules file declares it: a name, a {@link Check}, what it is checked
 * per, the bounds its value must stay within, and what a failure does ({@link Severity#FAIL} stops
 * the commit, {@link Severity#WARN} only reports).
 *
 * @param column the column a {@link Check#NULL_RATIO} rule counts; null for other checks
 * @param min the smallest value that passes, or null for no lower bound
 * @param max the largest value that passes, or null for no upper bound
 */
public record QualityRule(
    String name, Check check, Scope per, String column, Double min, Double max, Severity severity)
    implements Serializable {

  /** What a rule is checked per: each statistics file, each region, or the run as a whole. */
  public enum Scope {
    FILE,
    REGION,
    RUN;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** {@code fail} rejects the run before its commit; {@code warn} commits and reports. */
  public enum Severity {
    WARN,
    FAIL;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** True when {@code value} lies within the bounds. */
  public boolean passes(double value) {
    return (min == null || value >= min) && (max == null || value <= max);
  }

  /** The bounds as a reader says them: {@code <= 0.02}, {@code >= 100}, {@code -50..100}. */
  public String threshold() {
    if (min != null && max != null) {
      return QualityReport.number(min) + ".." + QualityReport.number(max);
    }
    return min != null ? ">= " + QualityReport.number(min) : "<= " + QualityReport.number(max);
  }

  /** How far {@code value} lies outside the bounds, relative to the bound it breaks (0 inside). */
  double excess(double value) {
    if (min != null && value < min) {
      return (min - value) / Math.max(Math.abs(min), 1e-9);
    }
    if (max != null && value > max) {
      return (value - max) / Math.max(Math.abs(max), 1e-9);
    }
    return 0;
  }
}
