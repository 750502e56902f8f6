package dev.trendlake.pipeline.quality;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trendlake.pipeline.quality.QualityRule.Severity;
import java.math.BigDecimal;
import java.util.List;

/**
 * What the quality rules found in one run: each rule's result, the pass rate, and whether a failed
 * {@code fail} rule rejects the run. Its JSON form is the manifest's {@code quality} section, which
 * the run summary, the report and CloudWatch read.
 *
 * @param source where the rules came from
 */
public record QualityReport(String source, List<Result> results) {

  /** Shown failures per rule, worst first; the count says how many there were in all. */
  static final int SHOWN_FAILURES = 20;

  public QualityReport {
    results = List.copyOf(results);
  }

  /** What one rule found. */
  public enum Status {
    PASSED,
    FAILED,
    SKIPPED
  }

  /**
   * @param value the worst value over the rule's subjects (the one furthest outside its bounds, or
   *     the nearest to them when all pass); null when skipped
   * @param subjects subjects checked (files, regions, or 1 for the run)
   * @param failures failing subjects, worst first, at most {@link #SHOWN_FAILURES}
   * @param failedSubjects every failing subject's count
   * @param note why a rule was skipped, else empty
   */
  public record Result(
      QualityRule rule,
      Status status,
      Double value,
      String worstSubject,
      int subjects,
      List<Finding> failures,
      int failedSubjects,
      String note) {
    public Result {
      failures = List.copyOf(failures);
    }
  }

  /** One subject's value: a file path, a region, or {@code run}. */
  public record Finding(String subject, double value) {}

  public long passed() {
    return results.stream().filter(r -> r.status() == Status.PASSED).count();
  }

  public long failed() {
    return results.stream().filter(r -> r.status() == Status.FAILED).count();
  }

  /** Rules passed / rules evaluated (skipped ones left out); 1 when none was evaluated. */
  public double passRate() {
    long evaluated = passed() + failed();
    return evaluated == 0 ? 1.0 : (double) passed() / evaluated;
  }

  /** The failed rules of severity {@code fail}: any of them rejects the run. */
  public List<Result> rejecting() {
    return results.stream()
        .filter(r -> r.status() == Status.FAILED && r.rule().severity() == Severity.FAIL)
        .toList();
  }

  public boolean rejects() {
    return !rejecting().isEmpty();
  }

  /** One line a failed rule: its name, value and threshold, and where. */
  public static String describe(Result r) {
    QualityRule q = r.rule();
    return "quality rule '"
        + q.name()
        + "' ("
        + q.check().id()
        + " per "
        + q.per().id()
        + (q.column() == null ? "" : " of " + q.column())
        + ", "
        + q.severity().id()
        + ") failed: "
        + (q.per() == QualityRule.Scope.RUN ? "the run" : r.worstSubject())
        + " has "
        + number(r.value())
        + ", threshold "
        + q.threshold()
        + (r.failedSubjects() > 1 ? " (and " + (r.failedSubjects() - 1) + " more)" : "");
  }

  /** The manifest's {@code quality} section. */
  public ObjectNode toJson() {
    ObjectNode q = JsonNodeFactory.instance.objectNode();
    q.put("source", source);
    q.put("pass_rate", round(passRate()));
    q.put("passed", passed());
    q.put("failed", failed());
    q.put("skipped", results.size() - passed() - failed());
    q.put("rejected", rejects());
    var rules = q.putArray("rules");
    for (Result r : results) {
      ObjectNode n = rules.addObject();
      QualityRule rule = r.rule();
      n.put("name", rule.name());
      n.put("check", rule.check().id());
      n.put("per", rule.per().id());
      if (rule.column() != null) {
        n.put("column", rule.column());
      }
      n.put("severity", rule.severity().id());
      n.put("threshold", rule.threshold());
      putNumber(n, "min", rule.min());
      putNumber(n, "max", rule.max());
      n.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
      putNumber(n, "value", r.value());
      if (r.worstSubject() != null) {
        n.put("worst", r.worstSubject());
      }
      n.put("subjects", r.subjects());
      n.put("failed_subjects", r.failedSubjects());
      var f = n.putArray("failures");
      for (Finding x : r.failures()) {
        f.addObject().put("subject", x.subject()).put("value", round(x.value()));
      }
      if (!r.note().isEmpty()) {
        n.put("note", r.note());
      }
    }
    return q;
  }

  private static void putNumber(ObjectNode n, String field, Double v) {
    if (v == null) {
      n.putNull(field);
    } else {
      n.put(field, round(v));
    }
  }

  /** Six significant digits at most: ratios stay readable and stable in JSON. */
  static double round(double v) {
    return new BigDecimal(v).round(new java.math.MathContext(6)).doubleValue();
  }

  /** A value as a reader wants it: {@code 0.02}, {@code 100}, {@code -12.5}. */
  public static String number(Double v) {
    if (v == null) {
      return "n/a";
    }
    double r = round(v);
    return r == Math.rint(r) && Math.abs(r) < 1e15
        ? String.valueOf((long) r)
        : BigDecimal.valueOf(r).stripTrailingZeros().toPlainString();
  }
}
