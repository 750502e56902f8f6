package dev.trendlake.transforms.rules;

import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.model.RunTally;
import dev.trendlake.transforms.model.TrendingRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps one row per (region, video_id, trending_date) among the rows of one partition, by {@link
 * DedupeOrder}, and counts per source file the rows kept (silver) and dropped (duplicates).
 */
public final class Dedupe {
  private Dedupe() {}

  /** The surviving rows sorted by video_id, and the per-file tally. */
  public record Result(List<TrendingRow> rows, RunTally tally, long duplicates) {}

  /**
   * @param rows all rows of one region and trending date
   */
  public static Result keepBest(Iterable<TrendingRow> rows) {
    Map<String, TrendingRow> best = new HashMap<>();
    RunTally tally = new RunTally();
    long duplicates = 0;
    for (TrendingRow r : rows) {
      TrendingRow cur = best.putIfAbsent(r.videoId(), r);
      if (cur == null) {
        continue;
      }
      TrendingRow loser;
      if (DedupeOrder.better(r, cur)) {
        best.put(r.videoId(), r);
        loser = cur;
      } else {
        loser = r;
      }
      tally.file(loser.sourceFile(), Rejected.STATISTICS).duplicates++;
      duplicates++;
    }
    List<TrendingRow> kept = new ArrayList<>(best.values());
    kept.sort(Comparator.comparing(TrendingRow::videoId));
    for (TrendingRow r : kept) {
      tally.file(r.sourceFile(), Rejected.STATISTICS).silver++;
    }
    return new Result(kept, tally, duplicates);
  }
}
