package dev.trendlake.runners.progress;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;

/**
 * The Beam counters progress is made of, summed over steps and workers: what {@code ReadStatistics}
 * read (files, bytes, records), what {@code BuildPartitions} wrote (partitions, rows kept, which
 * are the gold rows) and what {@code LoadWarehouse} staged and merged. Counters are attempted
 * values (committed ones exist only once a runner has finished), so a retried bundle may count
 * twice in a line; the summary, read from the manifest, is exact.
 *
 * @param merged rows merged per star-schema table (empty until the merge step reported)
 */
public record Snapshot(
    long files,
    long bytes,
    long records,
    long partitions,
    long kept,
    long rowsStaged,
    Map<String, Long> merged) {

  public static final Snapshot NONE = new Snapshot(0, 0, 0, 0, 0, 0, Map.of());

  static final String READ = dev.trendlake.transforms.ReadTags.COUNTERS;
  static final String BUILD = "dev.trendlake.transforms.BuildPartitions";
  static final String LOAD = "dev.trendlake.pipeline.warehouse.LoadWarehouse";
  static final String MERGED = "merged_";

  /** The namespaces progress reads counters of. */
  static final java.util.List<String> NAMESPACES = java.util.List.of(READ, BUILD, LOAD);

  public Snapshot {
    merged = Map.copyOf(merged);
  }

  /** Adds one counter, named by its namespace and name, to a snapshot being built. */
  static Snapshot plus(Snapshot s, String namespace, String name, long v) {
    long files = s.files, bytes = s.bytes, records = s.records;
    long partitions = s.partitions, kept = s.kept, staged = s.rowsStaged;
    Map<String, Long> merged = new TreeMap<>(s.merged);
    switch (namespace + "." + name) {
      case READ + ".files" -> files += v;
      case READ + ".bytes" -> bytes += v;
      case READ + ".records" -> records += v;
      case BUILD + ".partitions" -> partitions += v;
      case BUILD + ".kept" -> kept += v;
      case LOAD + ".rows_staged" -> staged += v;
      default -> {
        if (namespace.equals(LOAD) && name.startsWith(MERGED)) {
          merged.merge(name.substring(MERGED.length()), v, Long::sum);
        } else {
          return s;
        }
      }
    }
    return new Snapshot(files, bytes, records, partitions, kept, staged, merged);
  }

  /**
   * The counters of a Beam metrics query (attempted values: committed ones come only at the end).
   */
  public static Snapshot of(MetricQueryResults results) {
    Snapshot s = NONE;
    for (MetricResult<Long> c : results.getCounters()) {
      Long v = value(c);
      if (v != null) {
        s = plus(s, c.getName().getNamespace(), c.getName().getName(), v);
      }
    }
    return s;
  }

  private static Long value(MetricResult<Long> c) {
    try {
      return c.getAttempted();
    } catch (UnsupportedOperationException e) {
      return c.getCommitted();
    }
  }
}
