package dev.trendlake.transforms.model;

import java.util.List;

/**
 * All deduplicated rows of one output partition (one region, one trending date), sorted by video_id
 * so that every runner writes byte-identical files.
 */
public record TrendingPartition(String region, int trendingDate, List<TrendingRow> rows) {

  /** Parallel to {@link #rows}: each row's joined category title, null where it is unknown. */
  public List<String> categoryTitles() {
    return rows.stream().map(TrendingRow::categoryTitle).toList();
  }

  public String partition() {
    return TrendingRow.partition(region, trendingDate);
  }
}
