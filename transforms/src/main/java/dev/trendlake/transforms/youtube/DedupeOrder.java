package dev.trendlake.transforms.youtube;

import dev.trendlake.transforms.row.Row;
import java.util.Comparator;

/**
 * Which of several rows for the same (region, video_id, trending_date) survives: the most views,
 * then the most likes, then the most comments (a hidden count loses to any count); among rows equal
 * on all three, the one from the first source file (relative path, compared as text) and line.
 *
 * <p>The final tie-break is lineage rather than content, so that a row's own bytes need not travel
 * through the shuffle (they were 45% of its volume, docs/benchmark.md), and it is the same on every
 * runner and every re-run over the same bronze tree. Rows tied on the three counts are in practice
 * the same record delivered twice (a re-uploaded or overlapping file), where lineage is all that
 * differs.
 */
public final class DedupeOrder {
  private DedupeOrder() {}

  /** Orders rows of the same video and day best first. */
  public static final Comparator<Row> BEST_FIRST = DedupeOrder::compare;

  private static int compare(Row a, Row b) {
    int c = Long.compare(b.get(TrendingColumns.VIEWS), a.get(TrendingColumns.VIEWS));
    if (c == 0) {
      c =
          Long.compare(
              orMinus(b.get(TrendingColumns.LIKES)), orMinus(a.get(TrendingColumns.LIKES)));
    }
    if (c == 0) {
      c =
          Long.compare(
              orMinus(b.get(TrendingColumns.COMMENT_COUNT)),
              orMinus(a.get(TrendingColumns.COMMENT_COUNT)));
    }
    if (c == 0) {
      c = a.get(TrendingColumns.SOURCE_FILE).compareTo(b.get(TrendingColumns.SOURCE_FILE));
    }
    if (c == 0) {
      c = Long.compare(a.get(TrendingColumns.SOURCE_LINE), b.get(TrendingColumns.SOURCE_LINE));
    }
    return c;
  }

  private static long orMinus(Long v) {
    return v == null ? -1L : v;
  }

  /** True when {@code candidate} beats {@code current}. */
  public static boolean better(Row candidate, Row current) {
    return compare(candidate, current) < 0;
  }
}
