package dev.trendlake.transforms.rules;

import dev.trendlake.transforms.model.TrendingRow;
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

  /** Orders rows best first. */
  public static final Comparator<TrendingRow> BEST_FIRST =
      Comparator.comparingLong(TrendingRow::views)
          .reversed()
          .thenComparing(r -> orMinus(r.likes()), Comparator.reverseOrder())
          .thenComparing(r -> orMinus(r.commentCount()), Comparator.reverseOrder())
          .thenComparing(TrendingRow::sourceFile)
          .thenComparingLong(TrendingRow::sourceLine);

  private static Long orMinus(Long v) {
    return v == null ? -1L : v;
  }

  /** True when {@code candidate} beats {@code current}. */
  public static boolean better(TrendingRow candidate, TrendingRow current) {
    return BEST_FIRST.compare(candidate, current) < 0;
  }
}
