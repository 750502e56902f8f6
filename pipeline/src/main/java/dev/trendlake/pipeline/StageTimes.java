package dev.trendlake.pipeline;

import dev.trendlake.transforms.StageTimedDoFn;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Where a run's wall time went, from the {@link StageTimedDoFn} spans the job recorded: start-up
 * (the run's start in this JVM to the first read bundle: options, graph translation, cluster start,
 * submission; measured from the run, not the JVM, so a long-lived JobManager reports it too), read
 * (parse, clean, join, hand rows to the shuffle), grouping (the end of the read to the first write:
 * the shuffle's sort and merge), dedupe + write, and finish (reconcile, commit, manifest). Seconds,
 * in that order; a stage a runner reported no metrics for is left out, so a reader never sees an
 * invented figure.
 */
public final class StageTimes {
  private StageTimes() {}

  private static final AtomicReference<Map<String, Double>> LAST = new AtomicReference<>(Map.of());

  /** The stage times of the last run this JVM finished (for the benchmark's statistics hook). */
  public static Map<String, Double> last() {
    return LAST.get();
  }

  /**
   * Reads the spans from a finished run's metrics, remembers them as {@link #last()}.
   *
   * @param launchMillis when the run started (wall clock); bundles on another host use their own
   *     clock, which on a synchronised cluster is off by milliseconds
   */
  public static Map<String, Double> of(PipelineResult result, long launchMillis) {
    LAST.set(Map.of());
    Map<String, long[]> spans = new LinkedHashMap<>(); // stage -> {earliest start, latest end}
    try {
      Iterable<MetricResult<DistributionResult>> ds =
          result
              .metrics()
              .queryMetrics(
                  MetricsFilter.builder()
                      .addNameFilter(MetricNameFilter.inNamespace(StageTimedDoFn.NAMESPACE))
                      .build())
              .getDistributions();
      for (MetricResult<DistributionResult> d : ds) {
        String name = d.getName().getName();
        int dot = name.lastIndexOf('.');
        DistributionResult v = value(d);
        if (dot < 0 || v == null || v.getCount() == 0) {
          continue;
        }
        long[] span =
            spans.computeIfAbsent(
                name.substring(0, dot), k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
        if (name.endsWith(".start_ms")) {
          span[0] = Math.min(span[0], v.getMin());
        } else if (name.endsWith(".end_ms")) {
          span[1] = Math.max(span[1], v.getMax());
        }
      }
    } catch (RuntimeException e) {
      return Map.of(); // a runner without metrics: no stage times, the run itself is fine
    }
    Map<String, Double> out = new LinkedHashMap<>();
    long[] read = spans.get(StageTimedDoFn.READ);
    long[] write = spans.get(StageTimedDoFn.DEDUPE_WRITE);
    long[] finish = spans.get(StageTimedDoFn.FINISH);
    if (complete(read)) {
      out.put("start_up", secs(read[0] - launchMillis));
      out.put("read", secs(read[1] - read[0]));
    }
    if (complete(read) && complete(write)) {
      out.put("grouping", secs(Math.max(0, write[0] - read[1])));
    }
    if (complete(write)) {
      out.put("dedupe_write", secs(write[1] - write[0]));
    }
    if (complete(finish)) {
      out.put("finish", secs(finish[1] - finish[0]));
    }
    LAST.set(Collections.unmodifiableMap(new LinkedHashMap<>(out)));
    return out;
  }

  /** One line for the run summary: {@code start_up 6.1 s, read 10.2 s, ...}. */
  public static String describe(Map<String, Double> times) {
    StringJoiner j = new StringJoiner(", ");
    times.forEach((k, v) -> j.add(String.format(Locale.ROOT, "%s %.1f s", k, v)));
    return j.toString();
  }

  private static DistributionResult value(MetricResult<DistributionResult> d) {
    try {
      return d.getCommitted();
    } catch (UnsupportedOperationException e) {
      return d.getAttempted();
    }
  }

  private static boolean complete(long[] span) {
    return span != null && span[0] != Long.MAX_VALUE && span[1] != Long.MIN_VALUE;
  }

  private static double secs(long millis) {
    return Math.round(millis / 100.0) / 10.0;
  }
}
