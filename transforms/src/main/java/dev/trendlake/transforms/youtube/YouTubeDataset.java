package dev.trendlake.transforms.youtube;

import dev.trendlake.transforms.BronzePaths;
import dev.trendlake.transforms.Dataset;
import dev.trendlake.transforms.ReadStatistics;
import dev.trendlake.transforms.Rebuild;
import dev.trendlake.transforms.SideTable;
import dev.trendlake.transforms.model.Rejected;
import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.row.RowSchema;
import java.util.Map;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;

/**
 * YouTube trending: statistics CSV under {@code raw_statistics/}, one row per (region, video_id,
 * trending_date), partitioned by region and day, the best duplicate chosen by {@link DedupeOrder},
 * written in video_id order, counted per region; categories per region as the side input, joined on
 * (region, category_id).
 */
public final class YouTubeDataset implements Dataset {
  private static final long serialVersionUID = 1L;

  public static final YouTubeDataset INSTANCE = new YouTubeDataset();

  private YouTubeDataset() {}

  private Object readResolve() {
    return INSTANCE;
  }

  @Override
  public String name() {
    return "youtube";
  }

  @Override
  public RowSchema schema() {
    return TrendingColumns.SCHEMA;
  }

  @Override
  public Col<String> groupCol() {
    return TrendingColumns.REGION;
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

  @Override
  public String mainFolder() {
    return "raw_statistics";
  }

  @Override
  public String mainExtension() {
    return "csv";
  }

  @Override
  public String mainKind() {
    return Rejected.STATISTICS;
  }

  @Override
  public String silverTable() {
    return "silver/statistics";
  }

  @Override
  public String goldTable() {
    return "gold/trending";
  }

  @Override
  public SideTable side() {
    return Categories.INSTANCE;
  }

  @Override
  public PTransform<PCollection<MatchResult.Metadata>, PCollectionTuple> readMain(
      String bronzeRoot, PCollectionView<Map<String, String>> side, Rebuild rebuild) {
    return new ReadStatistics(bronzeRoot).withCategories(side).withRebuild(rebuild);
  }

  @Override
  public Row join(Row row, Map<String, String> side) {
    return CategoryColumns.join(row, side);
  }

  /** The categories of each region ({@code videoCategories.list} responses). */
  static final class Categories implements SideTable {
    private static final long serialVersionUID = 1L;
    static final Categories INSTANCE = new Categories();

    private Object readResolve() {
      return INSTANCE;
    }

    @Override
    public String kind() {
      return Rejected.CATEGORIES;
    }

    @Override
    public String folder() {
      return "raw_statistics_reference_data";
    }

    @Override
    public String extension() {
      return "json";
    }

    @Override
    public String table() {
      return "silver/categories";
    }

    @Override
    public RowSchema schema() {
      return CategoryColumns.SCHEMA;
    }

    @Override
    public Col<String> sourceFile() {
      return CategoryColumns.SOURCE_FILE;
    }

    @Override
    public String layout() {
      return "videoCategories.list";
    }

    @Override
    public String fileGroup(String path) {
      return BronzePaths.categoryRegion(path);
    }

    @Override
    public Parsed parse(String path, String group, byte[] bytes) {
      CategoryJson.Result r = CategoryJson.parse(path, group, bytes);
      return new Parsed(r.categories(), r.rejected(), r.records());
    }

    @Override
    public String key(Row row) {
      return CategoryColumns.key(row);
    }

    @Override
    public String value(Row row) {
      return row.get(CategoryColumns.TITLE);
    }

    @Override
    public String rowGroup(Row row) {
      return row.get(CategoryColumns.REGION);
    }

    @Override
    public int compareOutput(Row a, Row b) {
      return Long.compare(a.get(CategoryColumns.CATEGORY_ID), b.get(CategoryColumns.CATEGORY_ID));
    }
  }
}
