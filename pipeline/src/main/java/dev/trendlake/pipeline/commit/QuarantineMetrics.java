package dev.trendlake.pipeline.commit;

import dev.trendlake.transforms.tally.FileTally;
import dev.trendlake.transforms.tally.RunTally;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * The data-quality metrics of a committed run, as CloudWatch datums: per region of the statistics
 * files read, and once more for all regions together ({@code Region=ALL}), the counts {@code
 * Records}, {@code Silver}, {@code Quarantined}, {@code Duplicates} and the {@code QuarantineRatio}
 * (quarantined / records, left out when a region had no records, since 0/0 is no ratio). The
 * terraform alarm {@code quarantine_ratio} watches {@code QuarantineRatio} in the same namespace,
 * so a change to a name here must be made there too (TerraformTest checks it).
 *
 * <p>Only main files count (YouTube: statistics): side inputs are reference data with their own
 * quarantine folder and would distort a per-region ratio of trending rows. The computation ({@link
 * #datums}) is a pure function of the merged {@link RunTally}; {@link #publish} is the only part
 * that talks to AWS.
 */
public final class QuarantineMetrics {
  private QuarantineMetrics() {}

  public static final String RATIO = "QuarantineRatio";
  public static final String RECORDS = "Records";
  public static final String SILVER = "Silver";
  public static final String QUARANTINED = "Quarantined";
  public static final String DUPLICATES = "Duplicates";
  public static final String REGION = "Region";

  /** The {@code Region} dimension value of the totals over every region. */
  public static final String ALL_REGIONS = "ALL";

  /**
   * PutMetricData has accepted 20 datums per call for years (1000 since 2023): stay at the old
   * limit.
   */
  static final int DATUMS_PER_REQUEST = 20;

  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9.\\-_/#:]{1,255}");

  /**
   * What the user must fix in {@code --cloudWatchNamespace}, or nothing; null means publishing is
   * off.
   */
  public static List<String> namespaceProblems(String namespace) {
    List<String> problems = new ArrayList<>();
    if (namespace == null) {
      return problems;
    }
    if (!NAMESPACE.matcher(namespace).matches()) {
      problems.add(
          "--cloudWatchNamespace may hold 1 to 255 letters, digits and . - _ / # : (got '"
              + namespace
              + "')");
    } else if (namespace.startsWith("AWS/")) {
      problems.add("--cloudWatchNamespace must not start with AWS/ (reserved for AWS services)");
    }
    return problems;
  }

  /** Counts of one region (or of all), from the statistics files of the run. */
  record Counts(long records, long silver, long quarantined, long duplicates) {
    Counts plus(FileTally f) {
      return new Counts(
          records + f.records(),
          silver + f.silver(),
          quarantined + f.quarantinedTotal(),
          duplicates + f.duplicates());
    }
  }

  /** The datums of a run, in a stable order: {@code ALL} first, then regions alphabetically. */
  public static List<MetricDatum> datums(RunTally tally, Instant at) {
    Map<String, Counts> byRegion = new TreeMap<>();
    Counts all = new Counts(0, 0, 0, 0);
    for (FileTally f : tally.files().values()) {
      if (dev.trendlake.transforms.Datasets.isSideKind(f.kind())) {
        continue;
      }
      String region = f.region() == null ? "unknown" : f.region();
      byRegion.put(region, byRegion.getOrDefault(region, new Counts(0, 0, 0, 0)).plus(f));
      all = all.plus(f);
    }
    List<MetricDatum> out = new ArrayList<>();
    addRegion(out, ALL_REGIONS, all, at);
    for (Map.Entry<String, Counts> e : byRegion.entrySet()) {
      addRegion(out, e.getKey(), e.getValue(), at);
    }
    return out;
  }

  private static void addRegion(List<MetricDatum> out, String region, Counts c, Instant at) {
    out.add(datum(RECORDS, region, c.records(), StandardUnit.COUNT, at));
    out.add(datum(SILVER, region, c.silver(), StandardUnit.COUNT, at));
    out.add(datum(QUARANTINED, region, c.quarantined(), StandardUnit.COUNT, at));
    out.add(datum(DUPLICATES, region, c.duplicates(), StandardUnit.COUNT, at));
    if (c.records() > 0) {
      out.add(datum(RATIO, region, (double) c.quarantined() / c.records(), StandardUnit.NONE, at));
    }
  }

  private static MetricDatum datum(
      String name, String region, double value, StandardUnit unit, Instant at) {
    return MetricDatum.builder()
        .metricName(name)
        .dimensions(Dimension.builder().name(REGION).value(region).build())
        .value(value)
        .unit(unit)
        .timestamp(at)
        .build();
  }

  /** Sends {@code datums} to {@code namespace}, in as many calls as the per-call limit needs. */
  public static void publish(CloudWatchClient client, String namespace, List<MetricDatum> datums) {
    for (int i = 0; i < datums.size(); i += DATUMS_PER_REQUEST) {
      client.putMetricData(
          PutMetricDataRequest.builder()
              .namespace(namespace)
              .metricData(datums.subList(i, Math.min(datums.size(), i + DATUMS_PER_REQUEST)))
              .build());
    }
  }
}
