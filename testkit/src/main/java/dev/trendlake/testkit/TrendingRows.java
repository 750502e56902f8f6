package dev.trendlake.testkit;

import static dev.trendlake.transforms.youtube.TrendingColumns.*;

import dev.trendlake.transforms.row.Row;
import dev.trendlake.transforms.youtube.TrendingColumns;
import java.util.List;

/** Trending rows for tests, one argument per column, in the order the old record had them. */
public final class TrendingRows {
  private TrendingRows() {}

  public static Row of(
      String region,
      int trendingDate,
      String videoId,
      String title,
      String channelTitle,
      String channelId,
      long categoryId,
      long publishTimeMicros,
      List<String> tags,
      long views,
      Long likes,
      Long dislikes,
      Long commentCount,
      String thumbnailLink,
      boolean commentsDisabled,
      boolean ratingsDisabled,
      Boolean videoErrorOrRemoved,
      String description,
      String sourceFile,
      long sourceLine,
      int sourceBytes,
      String categoryTitle) {
    return TrendingColumns.SCHEMA
        .row()
        .set(REGION, region)
        .set(TRENDING_DATE, trendingDate)
        .set(VIDEO_ID, videoId)
        .set(TITLE, title)
        .set(CHANNEL_TITLE, channelTitle)
        .set(CHANNEL_ID, channelId)
        .set(CATEGORY_ID, categoryId)
        .set(PUBLISH_TIME, publishTimeMicros)
        .set(TAGS, tags)
        .set(VIEWS, views)
        .set(LIKES, likes)
        .set(DISLIKES, dislikes)
        .set(COMMENT_COUNT, commentCount)
        .set(THUMBNAIL_LINK, thumbnailLink)
        .set(COMMENTS_DISABLED, commentsDisabled)
        .set(RATINGS_DISABLED, ratingsDisabled)
        .set(VIDEO_ERROR_OR_REMOVED, videoErrorOrRemoved)
        .set(DESCRIPTION, description)
        .set(SOURCE_FILE, sourceFile)
        .set(SOURCE_LINE, sourceLine)
        .set(CATEGORY_TITLE, categoryTitle)
        .build(sourceBytes);
  }
}
