package dev.trendlake.transforms.model;

import java.util.List;

/**
 * All deduplicated rows of one output partition (one region, one trending date), sorted by
 * video_id so that every runner writes byte-identical files.
 *
 * @param categoryTitles parallel to {@code rows}: the joined category title, null where the
 *     category is unknown for the region; null for the whole partition before the join
 */
public record TrendingPartition(String region, int trendingDate, List<TrendingRow> rows, List<String> categoryTitles) {

  public String partition() {
    return TrendingRow.partition(region, trendingDate);
  }
}
