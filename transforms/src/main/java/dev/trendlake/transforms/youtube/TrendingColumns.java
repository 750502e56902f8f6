package dev.trendlake.transforms.youtube;

import static dev.trendlake.transforms.row.Col.Role.DATA;
import static dev.trendlake.transforms.row.Col.Role.JOINED;
import static dev.trendlake.transforms.row.Col.Role.LINEAGE;
import static dev.trendlake.transforms.row.Col.Role.PARTITION;

import dev.trendlake.transforms.row.Col;
import dev.trendlake.transforms.row.RowSchema;
import java.util.List;

/**
 * The YouTube trending table, defined once: every column of silver and gold with its type and role
 * ({@link #SCHEMA}), and where each comes from in the two CSV layouts and which cleaning rule reads
 * it ({@link #SOURCES}). The Parquet schemas, the coder, the CSV layouts, the cleaning rules'
 * order, the Glue column check and the warehouse staging columns are all derived from here, so a
 * new column is one line in each of the two lists below.
 */
public final class TrendingColumns {
  private TrendingColumns() {}

  private static final RowSchema.Builder B = RowSchema.builder("trending");

  public static final Col<String> REGION = B.string("region", false, PARTITION);
  public static final Col<Integer> TRENDING_DATE = B.date("trending_date", false, PARTITION);
  public static final Col<String> VIDEO_ID = B.string("video_id", false, DATA);
  public static final Col<String> TITLE = B.string("title", true, DATA);
  public static final Col<String> CHANNEL_TITLE = B.string("channel_title", true, DATA);
  public static final Col<String> CHANNEL_ID = B.string("channel_id", true, DATA);
  public static final Col<Long> CATEGORY_ID = B.int64("category_id", false, DATA);
  public static final Col<String> CATEGORY_TITLE = B.string("category_title", true, JOINED);
  public static final Col<Long> PUBLISH_TIME = B.timestampMicros("publish_time", false, DATA);
  public static final Col<List<String>> TAGS = B.stringList("tags", DATA);
  public static final Col<Long> VIEWS = B.int64("views", false, DATA);
  public static final Col<Long> LIKES = B.int64("likes", true, DATA);
  public static final Col<Long> DISLIKES = B.int64("dislikes", true, DATA);
  public static final Col<Long> COMMENT_COUNT = B.int64("comment_count", true, DATA);
  public static final Col<String> THUMBNAIL_LINK = B.string("thumbnail_link", true, DATA);
  public static final Col<Boolean> COMMENTS_DISABLED = B.bool("comments_disabled", false, DATA);
  public static final Col<Boolean> RATINGS_DISABLED = B.bool("ratings_disabled", false, DATA);
  public static final Col<Boolean> VIDEO_ERROR_OR_REMOVED =
      B.bool("video_error_or_removed", true, DATA);
  public static final Col<String> DESCRIPTION = B.string("description", true, DATA);
  public static final Col<String> SOURCE_FILE = B.string("source_file", false, LINEAGE);
  public static final Col<Long> SOURCE_LINE = B.int64("source_line", false, LINEAGE);

  /** Silver statistics ({@code DATA} + lineage) and gold ({@code DATA} + category title). */
  public static final RowSchema SCHEMA = B.plain(VIDEO_ID, THUMBNAIL_LINK).build();

  /**
   * Where a column comes from: the rule that reads it, its header in the {@code kaggle_2017} and
   * {@code api_2020} layouts (null: the layout has none), and whether a Kaggle file may lack it.
   */
  public record Source(
      Col<?> col, StatisticsRules.Rule rule, String kaggle, String api, boolean kaggleOptional) {}

  private static Source src(Col<?> col, StatisticsRules.Rule rule, String kaggle, String api) {
    return new Source(col, rule, kaggle, api, false);
  }

  private static Source optionalInKaggle(
      Col<?> col, StatisticsRules.Rule rule, String kaggle, String api) {
    return new Source(col, rule, kaggle, api, true);
  }

  /** Every column read from the CSV, in schema order; rules run in rule order, then this order. */
  public static final List<Source> SOURCES =
      List.of(
          src(TRENDING_DATE, StatisticsRules.Rule.TRENDING_DATE, "trending_date", "trending_date"),
          src(VIDEO_ID, StatisticsRules.Rule.VIDEO_ID, "video_id", "video_id"),
          src(TITLE, StatisticsRules.Rule.TEXT, "title", "title"),
          src(CHANNEL_TITLE, StatisticsRules.Rule.TEXT, "channel_title", "channelTitle"),
          src(CHANNEL_ID, StatisticsRules.Rule.TRIMMED, null, "channelId"),
          src(CATEGORY_ID, StatisticsRules.Rule.CATEGORY_ID, "category_id", "categoryId"),
          src(PUBLISH_TIME, StatisticsRules.Rule.TIMESTAMP, "publish_time", "publishedAt"),
          src(TAGS, StatisticsRules.Rule.TAGS, "tags", "tags"),
          src(VIEWS, StatisticsRules.Rule.COUNT, "views", "view_count"),
          src(LIKES, StatisticsRules.Rule.COUNT, "likes", "likes"),
          src(DISLIKES, StatisticsRules.Rule.COUNT, "dislikes", "dislikes"),
          src(COMMENT_COUNT, StatisticsRules.Rule.COUNT, "comment_count", "comment_count"),
          optionalInKaggle(
              THUMBNAIL_LINK, StatisticsRules.Rule.TRIMMED, "thumbnail_link", "thumbnail_link"),
          src(
              COMMENTS_DISABLED,
              StatisticsRules.Rule.BOOLEAN,
              "comments_disabled",
              "comments_disabled"),
          src(
              RATINGS_DISABLED,
              StatisticsRules.Rule.BOOLEAN,
              "ratings_disabled",
              "ratings_disabled"),
          optionalInKaggle(
              VIDEO_ERROR_OR_REMOVED, StatisticsRules.Rule.BOOLEAN, "video_error_or_removed", null),
          optionalInKaggle(DESCRIPTION, StatisticsRules.Rule.TEXT, "description", "description"));
}
