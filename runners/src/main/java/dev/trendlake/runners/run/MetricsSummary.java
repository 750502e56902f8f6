package dev.trendlake.runners.run;

import dev.trendlake.pipeline.commit.FinishRun;
import java.io.PrintWriter;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * What a batch run's summary says about its CloudWatch metrics, read from the finished pipeline's
 * counters ({@link FinishRun}); apart from {@link RunSession}, which runs the job, because it
 * changes with what the run publishes, not with how it runs.
 */
final class MetricsSummary {
  private MetricsSummary() {}

  /**
   * The summary's line about the CloudWatch metrics, and the exit status it implies: a committed
   * run whose metrics could not be published exits {@value RunSession#METRICS_NOT_PUBLISHED}, so
   * that the scheduler (the EMR step, the state machine and its alarm) sees what would otherwise
   * only be a warning in a log while the quarantine alarms stay silent.
   */
  static int report(PrintWriter out, String namespace, PipelineResult result) {
    if (namespace == null) {
      return 0;
    }
    out.println();
    if (counter(result, FinishRun.PUBLISH_FAILED) > 0) {
      out.println(
          "  metrics     NOT published to CloudWatch namespace "
              + namespace
              + ": the data is committed, but the quarantine alarms got no points (the log's"
              + " warning says why); exit status "
              + RunSession.METRICS_NOT_PUBLISHED);
      return RunSession.METRICS_NOT_PUBLISHED;
    }
    out.println("  metrics     published to CloudWatch namespace " + namespace);
    return 0;
  }

  /** A counter of {@link FinishRun}, as the runner reports it (0 when it reports none). */
  private static long counter(PipelineResult result, String name) {
    long total = 0;
    try {
      for (MetricResult<Long> c :
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.named(FinishRun.class, name))
                      .build())
              .getCounters()) {
        total += c.getAttempted() == null ? 0 : c.getAttempted();
      }
    } catch (RuntimeException e) {
      return 0; // a runner without metrics: nothing to report
    }
    return total;
  }
}
