package dev.trendlake.pipeline.warehouse;

import dev.trendlake.pipeline.warehouse.StarSchema.Column;
import dev.trendlake.pipeline.warehouse.StarSchema.ForeignKey;
import dev.trendlake.pipeline.warehouse.StarSchema.Table;
import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.youtube.CategoryColumns;
import dev.trendlake.transforms.youtube.TrendingColumns;
import dev.trendlake.transforms.youtube.YouTubeDataset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * YouTube's star ({@link StarSchema}'s tables): regions and categories from the category files (an
 * inferred member for each category the facts use and no file names), channels and videos with the
 * attributes of their latest trending day, the calendar of the staged days, and one fact per gold
 * row keyed by (region_code, video_id, date_key).
 */
public enum YouTubeStar implements Star {
  INSTANCE;

  private static final SideRows CATEGORIES =
      new SideRows(
          StarSchema.DIM_CATEGORY,
          "stg_category",
          STAGE_FACT,
          "title",
          StarSchema.UNKNOWN_CATEGORY);

  private static final List<Source> SOURCES =
      List.of(
          CATEGORIES,
          new Groups(StarSchema.DIM_REGION, "src_region", CATEGORIES),
          new Latest(StarSchema.DIM_CHANNEL, "src_channel", "region_code, video_id"),
          new Latest(StarSchema.DIM_VIDEO, "src_video", "region_code"),
          new Dates(StarSchema.DIM_DATE, "src_date"));

  @Override
  public Dataset dataset() {
    return YouTubeDataset.INSTANCE;
  }

  @Override
  public List<Table> tables() {
    return StarSchema.TABLES;
  }

  @Override
  public List<Table> merged() {
    return StarSchema.MERGED;
  }

  @Override
  public List<ForeignKey> foreignKeys() {
    return StarSchema.FOREIGN_KEYS;
  }

  @Override
  public Table fact() {
    return StarSchema.FACT;
  }

  @Override
  public String groupColumn() {
    return "region_code";
  }

  @Override
  public String rowKey() {
    return "video_id";
  }

  @Override
  public List<Column> stageFact() {
    return StarSchema.STAGE_FACT;
  }

  @Override
  public List<Column> stageBatch() {
    return StarSchema.STAGE_BATCH;
  }

  @Override
  public List<Source> sources() {
    return SOURCES;
  }

  @Override
  public StageRows stageRows() {
    return new Rows();
  }

  @Override
  public Object[] sideValues(Row category) {
    return new Object[] {
      category.get(CategoryColumns.REGION),
      category.get(CategoryColumns.CATEGORY_ID),
      category.get(CategoryColumns.TITLE),
      category.get(CategoryColumns.ASSIGNABLE)
    };
  }

  @Override
  public boolean copiesFromS3() {
    return true;
  }

  @Override
  public String sampleQuery() {
    return "SELECT region_code, COUNT(DISTINCT video_id) AS videos, COUNT(*) AS trending_days FROM"
        + " fact_video_trending GROUP BY region_code ORDER BY region_code";
  }

  /** {@link StagedRow}'s mapping, the channel key (a SHA-256 hash) computed once per channel. */
  private static final class Rows implements StageRows {
    private final Map<String, Long> channelKeys = new HashMap<>();

    @Override
    public Object[] fact(String batchId, Row gold) {
      return StagedRow.values(batchId, gold, channelKey(gold));
    }

    @Override
    public void appendFactCopy(StringBuilder sb, String batchId, Row gold) {
      StagedRow.appendCopyRow(sb, batchId, gold, channelKey(gold));
    }

    private long channelKey(Row r) {
      String id = r.get(TrendingColumns.CHANNEL_ID);
      String title = r.get(TrendingColumns.CHANNEL_TITLE);
      String k = (id == null ? "" : id) + "\u0000" + (title == null ? "" : title);
      if (channelKeys.size() > 100_000) {
        channelKeys.clear();
      }
      return channelKeys.computeIfAbsent(k, x -> ChannelKey.of(id, title));
    }
  }
}
