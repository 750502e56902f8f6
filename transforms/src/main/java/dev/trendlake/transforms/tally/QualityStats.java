package dev.trendlake.transforms.tally;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Small statistics of the rows one group (YouTube: a region) got in this run, for the data-quality
 * rules that the counts of {@link RegionTally} can't answer: rows and null values per column (null
 * ratios), the newest day written (freshness), and for each key that appears on several days, how
 * many day-to-day steps its growing measure took and how many of them went down (YouTube: views
 * that fell from one trending day to the next). Added up like the other tallies; data, not metrics,
 * so every runner reports the same values.
 *
 * @param rows rows written for the group (after dedupe)
 * @param newestDay the newest day written, as days since 1970-01-01; {@link Integer#MIN_VALUE} when
 *     none
 * @param nulls null values per column name (columns without nulls are absent)
 * @param steps day-to-day steps of keys seen on more than one day
 * @param decreases of those steps, the ones whose measure went down
 */
public record QualityStats(
    long rows, int newestDay, SortedMap<String, Long> nulls, long steps, long decreases)
    implements Serializable {

  public static final QualityStats ZERO =
      new QualityStats(0, Integer.MIN_VALUE, new TreeMap<>(), 0, 0);

  public QualityStats {
    nulls = Collections.unmodifiableSortedMap(new TreeMap<>(nulls));
  }

  /** Rows of one partition written on {@code day}, with their nulls per column. */
  public static QualityStats ofRows(long rows, int day, Map<String, Long> nulls) {
    return new QualityStats(rows, day, new TreeMap<>(nulls), 0, 0);
  }

  /** Day-to-day steps of a growing measure and how many went down. */
  public static QualityStats ofSteps(long steps, long decreases) {
    return new QualityStats(0, Integer.MIN_VALUE, new TreeMap<>(), steps, decreases);
  }

  public long nulls(String column) {
    return nulls.getOrDefault(column, 0L);
  }

  public QualityStats plus(QualityStats o) {
    TreeMap<String, Long> n = new TreeMap<>(nulls);
    o.nulls.forEach((k, v) -> n.merge(k, v, Long::sum));
    return new QualityStats(
        rows + o.rows,
        Math.max(newestDay, o.newestDay),
        n,
        steps + o.steps,
        decreases + o.decreases);
  }
}
