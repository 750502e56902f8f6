package dev.trendlake.transforms.youtube;

import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowSchema;

/**
 * YouTube trending: one row per (region, video_id, trending_date), partitioned by region and day,
 * the best duplicate chosen by {@link DedupeOrder}, written in video_id order, counted per region.
 */
public final class YouTubeDataset implements Dataset {
  private static final long serialVersionUID = 1L;

  public static final YouTubeDataset INSTANCE = new YouTubeDataset();

  private YouTubeDataset() {}

  private Object readResolve() {
    return INSTANCE;
  }

  @Override
  public RowSchema schema() {
    return TrendingColumns.SCHEMA;
  }

  @Override
  public Col<String> sourceFile() {
    return TrendingColumns.SOURCE_FILE;
  }

  @Override
  public Col<Long> sourceLine() {
    return TrendingColumns.SOURCE_LINE;
  }

  @Override
  public String group(Row row) {
    return row.get(TrendingColumns.REGION);
  }

  @Override
  public String dedupeKey(Row row) {
    return row.get(TrendingColumns.VIDEO_ID);
  }

  @Override
  public int compareBest(Row a, Row b) {
    return DedupeOrder.BEST_FIRST.compare(a, b);
  }

  @Override
  public int compareOutput(Row a, Row b) {
    return a.get(TrendingColumns.VIDEO_ID).compareTo(b.get(TrendingColumns.VIDEO_ID));
  }

  @Override
  public boolean joinMissed(Row row) {
    return row.get(TrendingColumns.CATEGORY_TITLE) == null;
  }

  @Override
  public int day(Row row) {
    return row.get(TrendingColumns.TRENDING_DATE);
  }

  @Override
  public long growingMeasure(Row row) {
    return row.get(TrendingColumns.VIEWS);
  }
}
