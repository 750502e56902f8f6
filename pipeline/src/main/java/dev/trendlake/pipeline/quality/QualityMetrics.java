package dev.trendlake.pipeline.quality;

import dev.trendlake.pipeline.quality.QualityReport.Result;
import dev.trendlake.pipeline.quality.QualityReport.Status;
import dev.trendlake.pipeline.quality.QualityRule.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * A run's quality results as CloudWatch datums, published after a commit and after a rejection
 * alike: {@code QualityPassRate} (0..1), {@code QualityFailRulesFailed} (how many {@code fail}
 * rules failed: 0 on a committed run, at least 1 on a rejected one) and, for each failed rule, a
 * {@code QualityRuleFailed} of 1 with dimensions {@code Rule} and {@code Severity}. The terraform
 * alarms {@code quality_rejected} and {@code quality_pass_rate} (terraform/monitoring.tf) watch the
 * first two; TerraformTest checks that the names agree.
 */
public final class QualityMetrics {
  private QualityMetrics() {}

  public static final String PASS_RATE = "QualityPassRate";
  public static final String FAIL_RULES_FAILED = "QualityFailRulesFailed";
  public static final String RULE_FAILED = "QualityRuleFailed";

  public static List<MetricDatum> datums(QualityReport report, Instant at) {
    List<MetricDatum> out = new ArrayList<>();
    out.add(datum(PASS_RATE, report.passRate(), StandardUnit.NONE, at, List.of()));
    out.add(datum(FAIL_RULES_FAILED, report.rejecting().size(), StandardUnit.COUNT, at, List.of()));
    for (Result r : report.results()) {
      if (r.status() == Status.FAILED) {
        out.add(
            datum(
                RULE_FAILED,
                1,
                StandardUnit.COUNT,
                at,
                List.of(
                    Dimension.builder().name("Rule").value(r.rule().name()).build(),
                    Dimension.builder()
                        .name("Severity")
                        .value(r.rule().severity() == Severity.FAIL ? "fail" : "warn")
                        .build())));
      }
    }
    return out;
  }

  private static MetricDatum datum(
      String name, double value, StandardUnit unit, Instant at, List<Dimension> dims) {
    return MetricDatum.builder()
        .metricName(name)
        .dimensions(dims)
        .value(value)
        .unit(unit)
        .timestamp(at)
        .build();
  }
}
