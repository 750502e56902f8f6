package dev.trendlake.transforms;

import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.tally.RunTally;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps one row per {@link Dataset#dedupeKey} among the rows of one partition, by {@link
 * Dataset#compareBest}, and counts per source file the rows kept (silver) and dropped (duplicates).
 * The survivors come back in {@link Dataset#compareOutput} order, so every runner writes the same
 * files.
 */
public final class Dedupe {
  private Dedupe() {}

  /** The surviving rows in output order, and the per-file tally. */
  public record Result(List<Row> rows, RunTally tally, long duplicates) {}

  /**
   * @param rows all rows of one partition
   */
  public static Result keepBest(Dataset dataset, Iterable<Row> rows) {
    Map<String, Row> best = new HashMap<>();
    RunTally.Builder tally = RunTally.builder();
    long duplicates = 0;
    for (Row r : rows) {
      String key = dataset.dedupeKey(r);
      Row cur = best.putIfAbsent(key, r);
      if (cur == null) {
        continue;
      }
      Row loser;
      if (dataset.compareBest(r, cur) < 0) {
        best.put(key, r);
        loser = cur;
      } else {
        loser = r;
      }
      tally.file(loser.get(dataset.sourceFile()), dataset.mainKind()).duplicates(1);
      duplicates++;
    }
    List<Row> kept = new ArrayList<>(best.values());
    kept.sort(dataset::compareOutput);
    for (Row r : kept) {
      tally.file(r.get(dataset.sourceFile()), dataset.mainKind()).silver(1);
    }
    return new Result(kept, tally.build(), duplicates);
  }
}
