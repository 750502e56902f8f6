package dev.trendlake.transforms.rules;

import dev.trendlake.transforms.model.TrendingRow;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Which of several rows for the same (region, video_id, trending_date) survives: the most views,
 * then the most likes, then the most comments, then the smallest raw record text (bytes compared
 * unsigned, which is code point order for UTF-8). Identical raw text from two files is settled on
 * the source file and line, so the surviving lineage is the same on every runner too.
 */
public final class DedupeOrder {
  private DedupeOrder() {}

  /** Orders rows best first. */
  public static final Comparator<TrendingRow> BEST_FIRST =
      Comparator.comparingLong(TrendingRow::views)
          .reversed()
          .thenComparing(r -> orMinus(r.likes()), Comparator.reverseOrder())
          .thenComparing(r -> orMinus(r.commentCount()), Comparator.reverseOrder())
          .thenComparing((a, b) -> Arrays.compareUnsigned(a.raw(), b.raw()))
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
